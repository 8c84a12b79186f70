"""The case timeline lines of the status page (like haven/cases/events.py): what the specialist
offered or revoked, and what the victim changed there. Never a code, a link or a contact."""

from django.utils import timezone

from haven.cases.models import CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.lib.languages import stored_in_english
from haven.portal.models import StatusPage


@stored_in_english()
def page_event(actor: Actor | None, page: StatusPage, summary: str) -> CaseEvent:
    return CaseEvent.objects.create(
        agency_id=page.agency_id,
        case_id=page.case_id,
        kind=CaseEventKind.PORTAL,
        at=timezone.now(),
        actor=actor.membership if actor else None,
        data={"summary": summary},
    )
