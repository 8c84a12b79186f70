"""The case timeline lines of follow-up (like haven/cases/events.py), written inside the
service's transaction. `data` holds one summary line with kinds and times only: never a
location, a note, or anything about the victim."""

from datetime import datetime, time

from django.utils import dateformat, timezone

from haven.cases.models import Case, CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.lib.languages import stored_in_english


@stored_in_english()
def _event(actor: Actor, case: Case, summary: str) -> CaseEvent:
    return CaseEvent.objects.create(
        agency=case.agency,
        case=case,
        kind=CaseEventKind.FOLLOW_UP,
        at=timezone.now(),
        actor=actor.membership,
        data={"summary": summary},
    )


@stored_in_english()
def when(case: Case, moment: datetime) -> str:
    """A moment as the agency's wall clock shows it: "Mar 10, 10:00 AM"."""
    return dateformat.format(timezone.localtime(moment, case.agency.tz), "M j, g:i A")


@stored_in_english()
def clock(at: time) -> str:
    """A wall-clock time: "10:00 AM"."""
    return dateformat.time_format(at, "g:i A")


@stored_in_english()
def follow_up(actor: Actor, case: Case, summary: str) -> CaseEvent:
    return _event(actor, case, summary)
