"""The case timeline line of a safety plan revision (like haven/cases/events.py), written inside
the service's transaction. `data` says which revision and which sections changed, never their
text."""

from django.utils import timezone

from haven.cases.models import Case, CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.lib.languages import stored_in_english
from haven.safety.models import SafetyPlanRevision


@stored_in_english()
def _event(actor: Actor, case: Case, kind: str, **fields) -> CaseEvent:
    return CaseEvent.objects.create(
        agency=case.agency,
        case=case,
        kind=kind,
        at=fields.pop("at", None) or timezone.now(),
        actor=actor.membership,
        **fields,
    )


@stored_in_english()
def plan_revised(actor: Actor, revision: SafetyPlanRevision) -> CaseEvent:
    case = revision.case
    person = revision.plan.person
    whose = "" if person.pk == case.primary_victim_id else f" for {person.full_name}"
    changed = ", ".join(revision.changed_headings) or "language"
    verb = "written" if revision.number == 1 else "revised"
    return _event(
        actor,
        case,
        CaseEventKind.SAFETY_PLAN,
        at=revision.created_at,
        data={"summary": f"Revision {revision.number}{whose} {verb}: {changed}"},
    )
