"""Case timeline lines of call-outs (like haven/cases/events.py), written inside the services'
transactions. Summaries give the kind of place and the times, never the address or the note."""

from django.utils import timezone

from haven.cases.models import CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.crisis.models import CallOut
from haven.lib.languages import stored_in_english


@stored_in_english()
def _line(actor: Actor, callout: CallOut, summary: str) -> CaseEvent:
    return CaseEvent.objects.create(
        agency=callout.agency,
        case=callout.case,
        kind=CaseEventKind.CRISIS,
        at=timezone.now(),
        actor=actor.membership,
        data={"summary": summary[:300]},
    )


@stored_in_english()
def _when(callout: CallOut, moment) -> str:
    return timezone.localtime(moment, callout.agency.tz).strftime("%b %-d, %-I:%M %p")


@stored_in_english()
def callout_recorded(actor: Actor, callout: CallOut) -> CaseEvent:
    return _line(
        actor,
        callout,
        f"Call-out requested by {callout.get_requested_by_display().lower()} "
        f"at {_when(callout, callout.requested_at)} ({callout.get_place_display().lower()})",
    )


@stored_in_english()
def callout_step(actor: Actor, callout: CallOut, step: str) -> CaseEvent:
    moment = getattr(callout, f"{step}_at", None) or timezone.now()
    return _line(actor, callout, f"Call-out: {step} at {_when(callout, moment)}")
