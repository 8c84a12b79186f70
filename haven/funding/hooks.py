"""A hook an app above funding fills, so funding never imports it (like incidents/hooks.py).

A disbursement runs every registered handler inside its own transaction, synchronously: the
assistance app registers one (assistance/apps.py) that records the disbursement as the PMT
service C7 (emergency financial assistance), tagged to the fund's funding source, so the PMT
report, the dashboard and the per-grant report count it like any other service. With nothing
registered a disbursement only moves money.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.core.actor import Actor
    from haven.funding.models import EmergencyRequest

DisbursementHandler = Callable[["Actor", "EmergencyRequest"], None]
_handlers: dict[str, DisbursementHandler] = {}


def on_disbursed(uid: str, handler: DisbursementHandler) -> None:
    """Register `handler` (once per uid: AppConfig.ready may run twice in tests)."""
    _handlers[uid] = handler


def disbursed(actor: Actor, request: EmergencyRequest) -> None:
    for handler in list(_handlers.values()):
        handler(actor, request)
