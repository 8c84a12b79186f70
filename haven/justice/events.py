"""Case timeline lines of the justice app (like haven/cases/events.py), written inside the
services' transactions. Summaries name the event kind, time and court, never the victim."""

from django.utils import timezone

from haven.cases.models import Case, CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.lib.languages import stored_in_english


@stored_in_english()
def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%b %-d, %Y %-I:%M %p")


@stored_in_english()
def justice_line(actor: Actor, case: Case, summary: str) -> CaseEvent:
    return CaseEvent.objects.create(
        agency=case.agency,
        case=case,
        kind=CaseEventKind.JUSTICE,
        at=timezone.now(),
        actor=actor.membership,
        data={"summary": summary[:300]},
    )


@stored_in_english()
def court_event_recorded(actor, event) -> CaseEvent:
    return justice_line(
        actor,
        event.case,
        f"{event.get_kind_display()} set for {_when(event.scheduled_at)}"
        f" ({event.court_case.number})",
    )


@stored_in_english()
def court_event_moved(actor, event) -> CaseEvent:
    return justice_line(
        actor,
        event.case,
        f"{event.get_kind_display()} moved from {_when(event.previous_scheduled_at)} "
        f"to {_when(event.scheduled_at)} ({event.court_case.number})",
    )


@stored_in_english()
def court_event_cancelled(actor, event) -> CaseEvent:
    return justice_line(
        actor,
        event.case,
        f"{event.get_kind_display()} of {_when(event.scheduled_at)} cancelled",
    )


@stored_in_english()
def court_event_held(actor, event) -> CaseEvent:
    return justice_line(
        actor, event.case, f"{event.get_kind_display()} held: {event.outcome[:200]}"
    )


@stored_in_english()
def custody_event_recorded(actor, event) -> CaseEvent:
    return justice_line(
        actor, event.case, f"Custody: {event.get_kind_display()} ({_when(event.occurred_at)})"
    )


@stored_in_english()
def obligation_honored(actor, obligation) -> CaseEvent:
    return justice_line(
        actor,
        obligation.case,
        f"Right honored for {obligation.person.full_name}: {obligation.right} "
        f"({obligation.get_how_display()})",
    )
