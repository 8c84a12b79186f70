"""Shortcuts for the on-call tests: times in agency A's zone, and the audit events written
since the cast was built."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from haven.audit.models import AuditEvent
from haven.oncall.models import Holiday, OnCallPattern, OnCallSettings, OnCallShift

ROLES = ["advocate", "supervisor", "coordinator", "officer", "analyst", "auditor"]
ROSTER_ROLES = ["supervisor", "coordinator"]  # case.assign


@pytest.fixture
def soon(cast):
    """soon(days, hour, minute=0): an aware instant `days` from today at that wall-clock time in
    agency A's zone (America/Chicago)."""
    tz = cast.agency_a.tz

    def at(days: int, hour: int, minute: int = 0) -> datetime:
        day = timezone.localtime(timezone.now(), tz).date() + timedelta(days=days)
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)

    return at


@pytest.fixture
def roster_rows(cast):
    """roster_rows(): how many rows each roster table holds, to show a refusal wrote nothing."""

    def counts():
        return {
            model.__name__: model.objects.count()
            for model in (OnCallShift, OnCallPattern, Holiday, OnCallSettings)
        } | {"audit": AuditEvent.objects.count()}

    return counts


@pytest.fixture(autouse=True)
def _on_a_known_day(clock):
    """Every on-call test reasons about days or hours: all start on the root conftest's
    Wednesday, whatever day the suite runs (docs/testing.md)."""
