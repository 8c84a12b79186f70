"""The morning digest: sent by the hourly task when it is 7 in the morning where the agency is,
to each specialist with follow-ups due today or overdue, by a real SMTP server, once a day,
with two numbers and a link and nothing about any victim."""

from datetime import UTC, datetime, timedelta

import pytest

from haven.audit.models import AuditAction
from haven.followup.models import FollowUp, FollowUpKind, FollowUpPlan, ReminderDigest
from haven.followup.notifications import digest_due, send_digests
from haven.followup.selectors import DigestCount, digest_counts
from haven.followup.tasks import run_hour
from haven.followup.tests.conftest import at_local
from haven.notices.models import AlertStatus, StaffAlert
from haven.notices.staff_alerts import alerts_send_due

# Riverside is in Chicago, Lakeside in New York. 7:00 in Chicago on a day of daylight time
# (CDT, UTC-5) is 12:00 UTC, and in winter (CST, UTC-6) 13:00 UTC.
CHICAGO_SEVEN_SUMMER = datetime(2026, 6, 9, 12, 0, tzinfo=UTC)
CHICAGO_SEVEN_WINTER = datetime(2026, 1, 13, 13, 0, tzinfo=UTC)
SECRETS = ["Dana", "Reyes", "JA100001", "Daley", "protection", "2026-0000"]


def add(case, due_at, kind=FollowUpKind.COURT, **extra):
    return FollowUp.objects.create(
        agency=case.agency,
        case=case,
        kind=kind,
        due_at=due_at,
        location="Daley Center",
        notes="Order of protection",
        **extra,
    )


@pytest.fixture
def emails(cast):
    for member, address in (
        (cast.advocate, "alice@riverside.example"),
        (cast.advocate2, "bob@riverside.example"),
        (cast.other_advocate, "charlie@lakeside.example"),
    ):
        member.user.email = address
        member.user.save(update_fields=["email"])


@pytest.fixture
def alices_day(cast, case):
    """On June 9, 2026 (Chicago): one overdue from yesterday, two due later today, one
    tomorrow, one already done."""
    now = CHICAGO_SEVEN_SUMMER
    day = now.astimezone(cast.agency_a.tz).date()
    add(case, at_local(cast.agency_a, day - timedelta(days=1), 15))
    add(case, at_local(cast.agency_a, day, 9))
    add(case, at_local(cast.agency_a, day, 23, 30), kind=FollowUpKind.CHECK_IN)
    add(case, at_local(cast.agency_a, day + timedelta(days=1), 0, 30))
    add(case, at_local(cast.agency_a, day, 8), done_at=now)
    return now


def test_the_counts_follow_the_agencys_local_day(cast, case, alices_day):
    assert digest_counts(cast.agency_a, alices_day) == [
        DigestCount(cast.advocate.pk, due_today=2, overdue=1)
    ]
    # An hour before midnight the 23:30 one is the only one still due today.
    late = at_local(cast.agency_a, alices_day.astimezone(cast.agency_a.tz).date(), 23)
    assert digest_counts(cast.agency_a, late) == [
        DigestCount(cast.advocate.pk, due_today=1, overdue=2)
    ]


def test_the_digest_goes_out_at_seven_local_whatever_the_season(cast):
    for seven in (CHICAGO_SEVEN_SUMMER, CHICAGO_SEVEN_WINTER):
        assert digest_due(cast.agency_a, seven)
        assert not digest_due(cast.agency_a, seven - timedelta(hours=1))
        assert not digest_due(cast.agency_a, seven + timedelta(hours=1))
    # New York is an hour ahead: its 7:00 is Chicago's 6:00.
    assert digest_due(cast.agency_b, CHICAGO_SEVEN_SUMMER - timedelta(hours=1))
    assert not digest_due(cast.agency_b, CHICAGO_SEVEN_SUMMER)


def test_each_specialist_gets_the_counts_and_a_link_by_smtp_and_no_names(
    cast, case, emails, alices_day, smtp_inbox, settings, new_audit_events
):
    settings.SITE_URL = "https://haven.example.org"
    sent = send_digests(agency=cast.agency_a, now=alices_day, site_url=settings.SITE_URL)
    alerts_send_due()  # the staff-alert outbox's worker

    assert sent == ["alice@riverside.example"]  # Bob has nothing due
    [(recipients, message)] = smtp_inbox.messages
    assert recipients == ["alice@riverside.example"]
    assert message["Subject"] == "Haven: 2 follow-ups due today, 1 overdue"
    body = message.get_payload(decode=True).decode().replace("\r\n", "\n")
    assert "Your follow-ups in Haven for Tuesday, June 9:" in body
    assert "Due today: 2\nOverdue: 1" in body
    assert "https://haven.example.org/follow-ups/" in body
    raw = message.as_string()
    for secret in SECRETS + [case.number, cast.advocate.display_name, "Alice"]:
        assert secret not in raw, secret
    claim = ReminderDigest.objects.get()
    assert (claim.membership, claim.on_date.isoformat()) == (cast.advocate, "2026-06-09")
    [audit] = new_audit_events(action=AuditAction.FOLLOWUP_DIGEST)
    assert audit.role == "system" and audit.object_id == str(cast.advocate.pk)
    assert audit.details == {"due_today": 2, "overdue": 1}


def test_a_digest_is_sent_once_a_day(cast, case, emails, alices_day, smtp_inbox):
    send_digests(agency=cast.agency_a, now=alices_day)
    assert send_digests(agency=cast.agency_a, now=alices_day + timedelta(minutes=30)) == []
    alerts_send_due()
    assert len(smtp_inbox.messages) == 1
    assert ReminderDigest.objects.count() == 1


def test_a_follow_up_given_to_a_colleague_counts_for_the_colleague(
    cast, case, emails, alices_day, smtp_inbox
):
    given = FollowUp.objects.filter(case=case, done_at__isnull=True).order_by("due_at").first()
    given.assignee = cast.advocate2
    given.save(update_fields=["assignee"])

    sent = send_digests(agency=cast.agency_a, now=alices_day)
    alerts_send_due()

    assert sorted(sent) == ["alice@riverside.example", "bob@riverside.example"]
    subjects = {rcpt[0]: msg["Subject"] for rcpt, msg in smtp_inbox.messages}
    assert subjects == {
        "alice@riverside.example": "Haven: 2 follow-ups due today",
        "bob@riverside.example": "Haven: 0 follow-ups due today, 1 overdue",
    }


def test_ended_cases_and_members_without_email_get_nothing(cast, case, alices_day, smtp_inbox, sam):
    from haven.cases.services import case_change_status

    assert send_digests(agency=cast.agency_a, now=alices_day) == []  # Alice has no address
    case_change_status(actor=sam, case=case, status="closed", reason="Goals met")
    assert digest_counts(cast.agency_a, alices_day) == []
    assert smtp_inbox.messages == [] and not ReminderDigest.objects.exists()


def test_a_mail_server_that_is_down_leaves_the_digest_queued_for_the_outboxs_retries(
    cast, case, emails, alices_day, smtp_down
):
    assert send_digests(agency=cast.agency_a, now=alices_day) == ["alice@riverside.example"]
    assert alerts_send_due() == 0

    alert = StaffAlert.objects.get(kind="followup_digest")
    assert (alert.status, alert.attempts) == (AlertStatus.QUEUED, 1)  # retried in a minute
    assert ReminderDigest.objects.count() == 1  # and never queued twice


def test_the_hourly_task_runs_every_agency_in_its_own_hour(
    cast, case, emails, alices_day, smtp_inbox, charlie
):
    from haven.cases.services import case_change_status

    case_change_status(actor=charlie, case=cast.case_b, status="active")
    add(cast.case_b, CHICAGO_SEVEN_SUMMER - timedelta(hours=3))

    mailed = run_hour(CHICAGO_SEVEN_SUMMER)  # 7:00 in Chicago, 8:00 in New York
    alerts_send_due()

    assert mailed == {cast.agency_a.pk: ["alice@riverside.example"]}
    assert [rcpt for rcpt, _ in smtp_inbox.messages] == [["alice@riverside.example"]]
    # The same run applied the rules sweep: Alice's active case now has a plan (no rule: none).
    assert FollowUpPlan.objects.get(case=case).status == "paused"

    mailed = run_hour(CHICAGO_SEVEN_SUMMER - timedelta(hours=1))  # 7:00 in New York
    assert mailed == {cast.agency_b.pk: ["charlie@lakeside.example"]}


def test_the_periodic_task_runs_at_five_past_every_hour():
    from huey.contrib.djhuey import HUEY

    def due(at):
        return {task.name for task in HUEY.read_periodic(at)}

    assert "followup_hourly" in due(datetime(2026, 6, 9, 12, 5))
    assert "followup_hourly" in due(datetime(2026, 6, 9, 3, 5))
    assert "followup_hourly" not in due(datetime(2026, 6, 9, 12, 0))
