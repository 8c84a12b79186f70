"""The case timeline line of a satisfaction survey invitation (never the answer: answers are
anonymous and tied to no case)."""

from django.utils import timezone

from haven.cases.models import CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.lib.languages import stored_in_english
from haven.reports.models import SurveyInvitation


@stored_in_english()
def survey_sent(actor: Actor, invitation: SurveyInvitation, *, channels: str) -> CaseEvent:
    return CaseEvent.objects.create(
        agency=invitation.case.agency,
        case=invitation.case,
        kind=CaseEventKind.SURVEY,
        at=timezone.now(),
        actor=actor.membership,
        data={
            "summary": f"Satisfaction survey ({invitation.get_kind_display().lower()}) "
            f"offered: {channels}"
        },
    )
