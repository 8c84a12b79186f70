from dataclasses import dataclass

from django.http import Http404

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.people.models import Person
from haven.safety.models import SafetyPlan
from haven.safety.selectors import person_on_case, plan_of


@dataclass(frozen=True)
class PlanAccess:
    case: Case
    person: Person
    plan: SafetyPlan | None  # None before the first revision


def access_plan(
    actor: Actor,
    case_id,
    person_id,
    *,
    write: bool = False,
    action: AuditAction = AuditAction.SAFETY_PLAN_VIEW,
) -> PlanAccess:
    """A person's safety plan, reached through a case the actor may read on which the person
    is the primary victim or someone the case serves.

    A missing case, another agency's, one outside the actor's caseload, a person not on the
    case (or on it but not served): all the same 404. Officers, analysts and auditors see no
    case at all (no case.view), so they never reach a plan. With write=True the actor must hold
    case.work (403) and the service that follows audits the change; otherwise the read is
    audited here as `action` (a view, or a print: 404 while there is nothing to print).
    """
    try:
        case = (
            cases_visible_to(actor)
            .select_related("agency", "primary_victim", "assigned_to__user")
            .get(pk=int(case_id))
        )
        person = person_on_case(case, int(person_id))
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such safety plan.") from None
    if person is None:
        raise Http404("No such safety plan.")
    plan = plan_of(actor, person)
    if action == AuditAction.SAFETY_PLAN_PRINT and (plan is None or not plan.revision_count):
        raise Http404("No safety plan to print yet.")
    if write:
        actor.require(Perm.CASE_WORK)
    else:
        audit_record(
            actor=actor,
            action=action,
            object_type="safety.safetyplan",
            object_id=plan.pk if plan else "",
            details={"case": case.pk, "person": person.pk},
        )
    return PlanAccess(case=case, person=person, plan=plan)
