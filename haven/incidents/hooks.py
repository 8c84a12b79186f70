"""Hooks that apps above incidents fill in, so incidents never imports them (issue #20).

The report import and the match review run whatever "batch handler" is registered, inside
their own transaction, synchronously, and read back what it did. haven.outreach registers its
rules here in its AppConfig.ready (outreach/apps.py). With nothing registered an import opens
no cases and a match decision does nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from haven.agencies.models import Agency
    from haven.incidents.models import IncidentPerson
    from haven.incidents.records import ReportRecord


class BatchCounts(Protocol):
    """What a handler did with one batch: cases it opened and victims it held back."""

    opened: int
    held: int


class BatchHandler(Protocol):
    """Runs for one import (or one review decision), for one agency."""

    def __bool__(self) -> bool:
        """Whether it would do anything at all (a dry run skips the preview otherwise)."""

    def preview(self, reports: list[tuple[ReportRecord, int | None]], now: datetime) -> int:
        """A dry run: how many cases these reports would open at most."""

    def apply(self, report_numbers: list[str]) -> BatchCounts:
        """These reports were just written; runs inside the batch's transaction."""


class _Counts:
    opened = 0
    held = 0


class _NoHandler:
    def __bool__(self) -> bool:
        return False

    def preview(self, reports: list[tuple[ReportRecord, int | None]], now: datetime) -> int:
        return 0

    def apply(self, report_numbers: list[str]) -> BatchCounts:
        return _Counts()


_batch_handler: Callable[..., BatchHandler] | None = None
_review_handler: Callable[..., None] | None = None


def register_batch_handler(
    factory: Callable[..., BatchHandler], *, after_review: Callable[..., None]
) -> None:
    """Install the handler: `factory(agency, acting_for=label)` for each import, and
    `after_review(incident_person, acting_for=label)` after a match decision (called inside the
    decision's transaction). One app registers; registering again replaces it."""
    global _batch_handler, _review_handler
    _batch_handler = factory
    _review_handler = after_review


def batch_handler(agency: Agency, *, acting_for: str) -> BatchHandler:
    if _batch_handler is None:
        return _NoHandler()
    return _batch_handler(agency, acting_for=acting_for)


def after_review(incident_person: IncidentPerson, *, acting_for: str) -> None:
    if _review_handler is not None:
        _review_handler(incident_person, acting_for=acting_for)
