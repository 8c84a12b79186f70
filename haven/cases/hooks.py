"""Hooks that apps above cases fill in, so cases never imports them (issue #20).

The alert to specialists about a new case (notifications.py, shared with lethality's alert)
asks "who is on call now?". haven.oncall answers from its roster, registering itself in its
AppConfig.ready (oncall/apps.py). With nothing registered nobody is on call, and the alert
goes to the case's specialist or, failing that, the supervisors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.agencies.models import Agency, Membership
    from haven.cases.models import Case
    from haven.core.actor import Actor

OnCallProvider = Callable[["Agency"], "Membership | None"]

_on_call: OnCallProvider | None = None


def register_on_call(provider: OnCallProvider) -> None:
    """Install who-is-on-call: `provider(agency)` returns the member on call now, or None.
    One app registers; registering again replaces it."""
    global _on_call
    _on_call = provider


def on_call_member(agency: Agency) -> Membership | None:
    return _on_call(agency) if _on_call is not None else None


# --- What apps above cases add to a case's life (issue 18) -----------------------------------
#
# Each is a list of (name, provider); registering a name again replaces its provider, so a
# test that reloads an app does not register it twice.


def case_page_url() -> Callable[[int], str]:
    """`url(case_id)`: the case page's address ("/cases/12/"), reversed once for a whole
    caseload's actions rather than once a row (issue #21: a reverse per row was a tenth of My
    caseload's time)."""
    from django.urls import reverse

    prefix = reverse("cases:detail", args=[0]).removesuffix("0/")
    return lambda case_id: f"{prefix}{case_id}/"


@dataclass(frozen=True)
class NextAction:
    """Something due on a case: a follow-up, a protocol step, a court date, a right owed, a
    task. `kind` says which, in words; `url` is where it is done."""

    case_id: int
    kind: str
    title: str
    due_at: datetime
    url: str = ""


@dataclass(frozen=True)
class OpenItem:
    """Something still open on a case about to close. `resolve(actor, note)`, where the item
    can be settled from the closing page (a task marked done, a protocol step skipped), with
    `resolve_label` saying what it does; otherwise it is resolved on its own page (`url`) or
    carried past the closing with a note."""

    key: str  # unique on the case, e.g. "task:12"
    kind: str
    title: str
    when: datetime | None = None
    url: str = ""
    resolve: Callable[..., object] | None = None
    resolve_label: str = ""
    # Carrying it keeps it open without a note (a task stays on the list); else a note is due.
    carries_itself: bool = False


# (actor, case) inside case_open's transaction, after the victimizations are saved.
CaseOpenedHook = Callable[["Actor", "Case"], None]
# (actor, cases): the same for a batch opened together (cases/batch.py), writing what the hook
# above writes for each case, in order.
CasesOpenedHook = Callable[["Actor", Sequence["Case"]], None]
# (cases) -> the next actions of those cases, in a constant number of queries.
NextActionProvider = Callable[[Sequence["Case"]], Iterable[NextAction]]
# (case) -> what is still open on it.
OpenItemProvider = Callable[["Case"], Iterable[OpenItem]]

_case_opened: dict[str, tuple[CaseOpenedHook, CasesOpenedHook | None]] = {}
_next_actions: dict[str, NextActionProvider] = {}
_open_items: dict[str, OpenItemProvider] = {}


def register_case_opened(
    name: str, hook: CaseOpenedHook, *, batch: CasesOpenedHook | None = None
) -> None:
    """`hook` runs for a case opened alone; `batch`, when given, once for a batch of cases
    opened together (else `hook` runs for each)."""
    _case_opened[name] = (hook, batch)


def register_next_actions(name: str, provider: NextActionProvider) -> None:
    _next_actions[name] = provider


def register_open_items(name: str, provider: OpenItemProvider) -> None:
    _open_items[name] = provider


def case_opened(actor: Actor, case: Case) -> None:
    for hook, _batch in _case_opened.values():
        hook(actor, case)


def cases_opened(actor: Actor, cases: Sequence[Case]) -> None:
    """case_opened for each of a batch's cases: each app's hook for the lot, app after app."""
    for hook, batch in _case_opened.values():
        if batch is not None:
            batch(actor, cases)
        else:
            for case in cases:
                hook(actor, case)


def next_actions(cases: Sequence[Case]) -> dict[int, list[NextAction]]:
    """Every registered provider's actions for these cases, each case's soonest first."""
    found: dict[int, list[NextAction]] = {case.pk: [] for case in cases}
    if not cases:
        return found
    for provider in _next_actions.values():
        for action in provider(cases):
            found.setdefault(action.case_id, []).append(action)
    for actions in found.values():
        actions.sort(key=lambda a: a.due_at)
    return found


def open_items(case: Case) -> list[OpenItem]:
    items: list[OpenItem] = []
    for provider in _open_items.values():
        items.extend(provider(case))
    return items


# The staff-alert outbox (issue 17, item 5): apps at or below the casework layer (cases,
# lethality, followup, partners) queue their emails and texts to staff here, and
# haven.notices installs the outbox (notices/apps.py) whose worker sends them with retries.
StaffAlertQueue = Callable[..., list]

_staff_alerts: StaffAlertQueue | None = None


def register_staff_alerts(queue: StaffAlertQueue) -> None:
    """Install the outbox: `queue(**alert)` takes notices.staff_alerts.staff_alert_queue's
    keyword arguments and returns the rows it made."""
    global _staff_alerts
    _staff_alerts = queue


def staff_alert(**alert) -> list:
    """Queue an alert to staff. Raises when no outbox is installed: an alert must never be
    dropped without a trace."""
    if _staff_alerts is None:
        raise RuntimeError("No staff-alert outbox is installed (haven.notices).")
    return _staff_alerts(**alert)


# The resolution goal in days (issue 17, item 7): haven.reports keeps the agency's goals
# (ReportGoals.resolution_days) and registers itself (reports/apps.py); the 24-hour clock's
# sweep in notices reads it through here. With nothing registered: the reports' default, 15.
RESOLUTION_DAYS_DEFAULT = 15
_resolution_days: Callable[[Agency], int] | None = None


def register_resolution_goal(provider: Callable[[Agency], int]) -> None:
    global _resolution_days
    _resolution_days = provider


def resolution_goal_days(agency: Agency) -> int:
    return _resolution_days(agency) if _resolution_days is not None else RESOLUTION_DAYS_DEFAULT
