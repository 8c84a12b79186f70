"""Hooks that apps above cases fill in, so cases never imports them (issue #20).

The alert to specialists about a new case (notifications.py, shared with lethality's alert)
asks "who is on call now?". haven.oncall answers from its roster, registering itself in its
AppConfig.ready (oncall/apps.py). With nothing registered nobody is on call, and the alert
goes to the case's specialist or, failing that, the supervisors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.agencies.models import Agency, Membership

OnCallProvider = Callable[["Agency"], "Membership | None"]

_on_call: OnCallProvider | None = None


def register_on_call(provider: OnCallProvider) -> None:
    """Install who-is-on-call: `provider(agency)` returns the member on call now, or None.
    One app registers; registering again replaces it."""
    global _on_call
    _on_call = provider


def on_call_member(agency: Agency) -> Membership | None:
    return _on_call(agency) if _on_call is not None else None


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
