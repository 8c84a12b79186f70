"""Alerts to staff and partners (issue 17, item 5): through the outbox and the worker, with
retries, and visibly failed. Real SMTP (aiosmtpd), texts through the file provider."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from haven.agencies.models import Agency
from haven.audit.models import AuditAction
from haven.cases.models import CaseEvent, Task
from haven.cases.notifications import send_referral_alert
from haven.notices.models import AlertStatus, StaffAlert
from haven.notices.staff_alerts import MAX_ATTEMPTS, alert_send_one, alerts_send_due


@pytest.fixture(autouse=True)
def _clock(clock):
    return clock


@pytest.fixture
def texts(settings, tmp_path):
    out = tmp_path / "sms.jsonl"
    settings.HAVEN_SMS_PROVIDER = "file"
    settings.HAVEN_SMS_FILE = str(out)

    def read():
        return [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []

    return read


@pytest.fixture
def on_call(cast):
    """Alice (case_a's specialist, phone 312-555-0101) is on call; Alice, Bob and Sam have
    addresses."""
    for member, address in (
        (cast.advocate, "alice@x.example"),
        (cast.advocate2, "bob@x.example"),
        (cast.supervisor, "sam@x.example"),
    ):
        member.user.email = address
        member.user.save(update_fields=["email"])
    Agency.objects.filter(pk=cast.agency_a.pk).update(on_call=cast.advocate)
    return cast.advocate


def test_the_referral_alert_goes_by_email_and_by_text_to_the_on_call_specialist(
    cast, on_call, picky_smtp, texts
):
    send_referral_alert(case_id=cast.case_a.pk, site_url="http://testserver")
    assert picky_smtp.messages == [] and texts() == []  # queued, not sent, until the worker

    assert alerts_send_due() == 2

    [(recipients, message)] = picky_smtp.messages
    assert recipients == ["alice@x.example"]
    assert message["Subject"].startswith(f"New officer referral: case {cast.case_a.number}")
    [text] = texts()
    assert text["to"] == "312-555-0101"
    assert cast.case_a.number in text["body"] and "Dana" not in text["body"]
    assert set(StaffAlert.objects.values_list("status", flat=True)) == {AlertStatus.SENT}
    assert alerts_send_due() == 0  # never twice


def test_queueing_the_same_alert_again_sends_nothing_new(cast, on_call, picky_smtp, texts):
    send_referral_alert(case_id=cast.case_a.pk)
    send_referral_alert(case_id=cast.case_a.pk)  # a retried task
    assert StaffAlert.objects.count() == 2  # one email, one text
    alerts_send_due()
    assert len(picky_smtp.messages) == 1 and len(texts()) == 1


def test_a_refused_address_fails_at_once_with_a_task_for_a_supervisor_on_the_case(
    cast, on_call, picky_smtp, new_audit_events
):
    cast.advocate.user.email = "refused@x.example"
    cast.advocate.user.save(update_fields=["email"])
    send_referral_alert(case_id=cast.case_a.pk)

    alerts_send_due()

    alert = StaffAlert.objects.get(channel="email")
    assert alert.status == AlertStatus.FAILED and alert.attempts == 1
    assert "refused" in alert.last_error
    task = Task.objects.get(pk=alert.task_id)
    assert task.case == cast.case_a and task.assignee == cast.supervisor
    assert task.title.startswith("The email (officer-referral alert) to Alice Avery failed")
    summaries = [e.data.get("summary", "") for e in CaseEvent.objects.filter(case=cast.case_a)]
    assert "The email (officer-referral alert) to Alice Avery failed" in summaries
    [audit] = new_audit_events(action=AuditAction.STAFF_ALERT_FAILED)
    assert audit.details["kind"] == "referral_alert"
    assert picky_smtp.messages == []


def test_a_mail_server_that_is_down_is_retried_then_fails_visibly(
    cast, on_call, smtp_down, clock, client_as
):
    send_referral_alert(case_id=cast.case_a.pk)
    waits = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]

    assert alerts_send_due() == 1  # the text to the on-call specialist went; the email did not
    alert = StaffAlert.objects.get(channel="email")
    assert (alert.status, alert.attempts) == (AlertStatus.QUEUED, 1)
    assert "Mail server trouble" in alert.last_error
    for wait in waits:
        assert alerts_send_due() == 0  # not due yet: nothing is claimed
        clock.move_to(timezone.now() + wait + timedelta(seconds=1))
        alerts_send_due()
    alert.refresh_from_db()
    assert (alert.status, alert.attempts) == (AlertStatus.FAILED, MAX_ATTEMPTS)
    assert Task.objects.filter(pk=alert.task_id, assignee=cast.supervisor).exists()

    page = client_as("supervisor").get("/messages/").content.decode()
    assert "Alerts to staff and partners that failed" in page
    assert f"Case {cast.case_a.number}" in page and "Mail server trouble" in page
    advocate_page = client_as("advocate").get("/messages/").content.decode()
    assert "Alerts to staff and partners that failed" not in advocate_page


def test_a_claimed_alert_is_not_sent_by_a_second_worker(cast, on_call, picky_smtp):
    send_referral_alert(case_id=cast.case_a.pk)
    pk = StaffAlert.objects.get(channel="email").pk
    StaffAlert.objects.filter(pk=pk).update(status=AlertStatus.SENDING, claimed_at=timezone.now())
    assert alert_send_one(pk, now=timezone.now()) is False
    assert picky_smtp.messages == []


def test_an_alert_whose_worker_died_is_sent_again_after_the_lease(cast, on_call, picky_smtp, clock):
    send_referral_alert(case_id=cast.case_a.pk)
    StaffAlert.objects.filter(channel="email").update(
        status=AlertStatus.SENDING, claimed_at=timezone.now(), claim_token="dead"
    )
    assert alerts_send_due() == 1  # only the text
    clock.move_to(timezone.now() + timedelta(minutes=11))
    assert alerts_send_due() == 1
    assert len(picky_smtp.messages) == 1


def test_the_high_danger_alert_texts_the_on_call_specialist_too(cast, on_call, picky_smtp, texts):
    from haven.lethality.notifications import send_lethality_alert
    from haven.lethality.testing import make_screen

    screen = make_screen(cast.case_a)
    send_lethality_alert(screen_id=screen.pk)
    alerts_send_due()
    [text] = texts()
    assert "high-danger" in text["body"] and cast.case_a.number in text["body"]
    assert {r for rcpts, _m in picky_smtp.messages for r in rcpts} == {"alice@x.example"}


def test_an_invitation_goes_through_the_outbox_and_a_refusal_is_listed_for_supervisors(
    cast, cora, picky_smtp, client_as, django_capture_on_commit_callbacks
):
    from haven.accounts.services import invitation_create

    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(actor=cora, email="refused-new@x.example", role="advocate")

    alert = StaffAlert.objects.get(kind="invitation")
    assert alert.status == AlertStatus.FAILED and alert.case is None
    page = client_as("supervisor").get("/messages/").content.decode()
    assert "refused-new@x.example" in page and "Your Haven invitation" in page
