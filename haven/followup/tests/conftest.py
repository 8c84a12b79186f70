"""Shortcuts for the follow-up tests: the cast's members as actors, Alice's case made active,
the audit events written since the cast was built, and a real SMTP server for the digest."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from haven.cases.models import CaseStatus
from haven.cases.services import case_change_status
from haven.followup.models import FollowUp, FollowUpKind, FollowUpPlan


@pytest.fixture(autouse=True)
def _on_a_known_day(clock):
    """Every follow-up test reasons about days: all start on the root conftest's Wednesday,
    whatever day the suite runs (docs/testing.md)."""


# Roles that may read no case record and change nothing on one.
NON_CASEWORKER_ROLES = ["officer", "analyst", "auditor"]


@pytest.fixture
def case(cast, alice):
    """Alice's case, active (the victim was reached)."""
    return case_change_status(actor=alice, case=cast.case_a, status=CaseStatus.ACTIVE)


def local(agency, moment: datetime) -> datetime:
    return timezone.localtime(moment, agency.tz)


def today(agency):
    return local(agency, timezone.now()).date()


def at_local(agency, day, hour=10, minute=0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=agency.tz)


def pending_check_in(case) -> FollowUp | None:
    return FollowUp.objects.filter(
        case=case, kind=FollowUpKind.CHECK_IN, done_at__isnull=True
    ).first()


@pytest.fixture
def overdue_plan(case):
    """A weekly plan on Alice's case counted from nine days ago, its first check-in (a week
    after the anchor) two days overdue: written directly, as time would have left it."""

    def make(anchor_days_ago=9, unit="weeks", every=1):
        anchor = today(case.agency) - timedelta(days=anchor_days_ago)
        plan = FollowUpPlan.objects.create(
            agency=case.agency,
            case=case,
            status="active",
            source="manual",
            unit=unit,
            every=every,
            time_of_day=time(10),
            anchor_date=anchor,
        )
        check_in = FollowUp.objects.create(
            agency=case.agency,
            case=case,
            kind=FollowUpKind.CHECK_IN,
            sequence=1,
            due_at=at_local(case.agency, anchor + timedelta(weeks=1)),
        )
        return plan, check_in

    return make
