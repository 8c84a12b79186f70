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
