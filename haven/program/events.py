"""Case timeline lines of the program app (like haven/cases/events.py): a case discussed at a
multidisciplinary review. The line names the review's date and the partners present, never
what was said."""

from django.utils import timezone

from haven.cases.models import Case, CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.lib.languages import stored_in_english


@stored_in_english()
def case_reviewed(actor: Actor, case: Case, activity) -> CaseEvent:
    partners = ", ".join(sorted(p.name for p in activity.partners.all())) or "the unit's staff"
    return CaseEvent.objects.create(
        agency=case.agency,
        case=case,
        kind=CaseEventKind.CASE_REVIEW,
        at=timezone.now(),
        actor=actor.membership,
        data={
            "summary": f"Discussed at the case review of {activity.held_on:%b %-d, %Y} "
            f"with {partners}"[:300],
            "activity": activity.pk,
        },
    )
