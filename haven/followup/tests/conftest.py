"""Shortcuts for the follow-up tests: the cast's members as actors, Alice's case made active,
the audit events written since the cast was built, and a real SMTP server for the digest."""

import email
import socket
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from haven.cases.models import CaseStatus
from haven.cases.services import case_change_status
from haven.followup.models import FollowUp, FollowUpKind, FollowUpPlan

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


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port; Django sends to it."""
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(
                (envelope.rcpt_tos, email.message_from_bytes(envelope.original_content))
            )
            return "250 Message accepted for delivery"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    yield inbox
    controller.stop()
