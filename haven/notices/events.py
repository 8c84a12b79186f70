"""The case timeline lines of messages (like haven/cases/events.py), written inside the
service's transaction. The summary names the channel, the kind of message and its status:
never the address or number used, never the text."""

from django.utils import timezone

from haven.cases.models import CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.notices.models import Message

# What each template is about, for staff (the timeline, tasks, the messages list).
TEMPLATE_LABELS = {
    "court_event_scheduled": "court date set",
    "court_event_changed": "court date changed",
    "court_event_outcome": "court result",
    "custody_event": "custody update",
    "specialist_assigned": "specialist assigned",
    "restitution_payment": "restitution payment",
    "compensation_status": "compensation claim",
    "referral_update": "referral update",
    "survey_invitation": "survey invitation",
    "investigation_status": "investigation status changed",
    "generic": "message from staff",
}


def template_label(key: str) -> str:
    return TEMPLATE_LABELS.get(key, key.replace("_", " "))


def message_event(actor: Actor | None, message: Message, what: str) -> CaseEvent:
    """One line: "Email (court date set): sent"."""
    summary = f"{message.get_channel_display()} ({template_label(message.template)}): {what}"
    return CaseEvent.objects.create(
        agency_id=message.agency_id,
        case_id=message.case_id,
        kind=CaseEventKind.NOTICE,
        at=timezone.now(),
        actor=actor.membership if actor else None,
        data={"summary": summary},
    )
