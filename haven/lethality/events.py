"""The case timeline lines a lethality screen writes (like cases.events): `data.summary` says
what happened in words every case reader may see, never an answer or the victim's words."""

from django.utils import timezone

from haven.cases.models import Case, CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.lethality.models import LethalityScreen, Outcome
from haven.lib.languages import stored_in_english


@stored_in_english()
def _event(actor: Actor, case: Case, kind: str, *, summary: str, at=None) -> CaseEvent:
    return CaseEvent.objects.create(
        agency=case.agency,
        case=case,
        kind=kind,
        at=at or timezone.now(),
        actor=actor.membership,
        data={"summary": summary},
    )


@stored_in_english()
def screen_recorded(actor: Actor, screen: LethalityScreen) -> CaseEvent:
    summary = Outcome(screen.outcome).label
    if screen.screened_in:
        summary = f"High danger: {summary[0].lower()}{summary[1:]}"
    return _event(
        actor, screen.case, CaseEventKind.LETHALITY_SCREEN, summary=summary, at=screen.screened_at
    )


@stored_in_english()
def priority_raised(actor: Actor, case: Case, *, previous: str) -> CaseEvent:
    return _event(
        actor,
        case,
        CaseEventKind.PRIORITY_CHANGED,
        summary=f"{previous} → High: the lethality screen screened in",
    )
