"""The case timeline lines of messages (like haven/cases/events.py), written inside the
service's transaction. The summary names the channel, the kind of message and its status:
never the address or number used, never the text."""

from django.utils import timezone

from haven.cases.models import CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.lib.languages import stored_in_english
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
    "portal_link": "status page link",
    "portal_code": "status page code",
    "victim_card": "the officer's card",
}


@stored_in_english()
def template_label(key: str) -> str:
    return TEMPLATE_LABELS.get(key, key.replace("_", " "))


@stored_in_english()
def _line(actor: Actor | None, message: Message, what: str) -> CaseEvent:
    summary = f"{message.get_channel_display()} ({template_label(message.template)}): {what}"
    return CaseEvent(
        agency_id=message.agency_id,
        case_id=message.case_id,
        kind=CaseEventKind.NOTICE,
        at=timezone.now(),
        actor=actor.membership if actor else None,
        data={"summary": summary},
    )


@stored_in_english()
def message_event(actor: Actor | None, message: Message, what: str) -> CaseEvent:
    """One line: "Email (court date set): sent"."""
    line = _line(actor, message, what)
    line.save(force_insert=True)
    return line


@stored_in_english()
def message_events(actor: Actor | None, messages: list[Message], what: str) -> list[CaseEvent]:
    """The same line for each of a batch of messages, in one INSERT."""
    return CaseEvent.objects.bulk_create([_line(actor, message, what) for message in messages])
