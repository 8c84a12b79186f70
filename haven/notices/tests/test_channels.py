"""Email failures and retries against real sockets, and SMS through a local server that speaks
Twilio's Messages API."""

import json
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.cases.models import Task
from haven.notices.models import Channel, Message, MessageStatus
from haven.notices.services import BACKOFF, MAX_ATTEMPTS, message_retry, send_due


@pytest.fixture
def dead_smtp(settings):
    """A port nobody listens on: the mail server is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port


def test_a_mail_server_that_is_down_is_retried_with_growing_waits_then_fails_with_a_task(
    cast, with_email, queue, dead_smtp, new_audit_events
):
    message = queue()[0]
    now = timezone.now()
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert send_due(now=now) == 0
        message.refresh_from_db()
        assert message.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert message.status == MessageStatus.QUEUED
            waits.append(message.next_attempt_at - timezone.now())
            now = message.next_attempt_at
    assert [round(w.total_seconds() / 60) for w in waits] == [
        round(b.total_seconds() / 60) for b in BACKOFF
    ]
    assert message.status == MessageStatus.FAILED
    assert "Mail server trouble" in message.last_error
    task = Task.objects.get(pk=message.task_id)
    assert task.title == (
        "The email to Dana Reyes (message from staff) failed: reach them another way"
    )
    assert task.assignee == cast.advocate
    assert [e.action for e in new_audit_events(action=AuditAction.NOTICE_FAILED)] == [
        AuditAction.NOTICE_FAILED
    ]


def test_a_failed_message_retried_by_staff_goes_out(
    alice, with_email, queue, settings, smtp_inbox, new_audit_events
):
    message = queue()[0]
    inbox_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there: the server is down
    Message.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)
    send_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    settings.EMAIL_PORT = inbox_port
    message_retry(actor=alice, message=message)
    assert send_due() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(smtp_inbox.messages) == 1
    assert new_audit_events(action=AuditAction.NOTICE_RETRY)[0].actor_label == "alice"


def _text_point(alice, victim, number):
    from haven.people.models import ContactKind
    from haven.people.services import contact_point_add

    return contact_point_add(
        actor=alice, person=victim, kind=ContactKind.PHONE, value=number, ok_text=True
    )


def test_a_text_goes_through_twilios_messages_api(alice, victim, with_text, queue, twilio):
    message = queue()[0]
    assert message.channel == Channel.SMS
    assert send_due() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.provider_id.startswith("SM")
    [request] = twilio
    assert request["path"] == "/2010-04-01/Accounts/AC123/Messages.json"
    assert request["To"] == "+13125550199"
    assert request["From"] == "+13125550000"
    assert request["Body"] == message.body
    assert request["auth"].startswith("Basic ")


def test_the_agencys_sms_sender_setting_wins(cora, with_text, queue, twilio):
    from haven.notices.services import notice_settings_update

    notice_settings_update(actor=cora, sms_sender="+13125559999")
    queue()
    send_due()
    assert twilio[0]["From"] == "+13125559999"


def test_twilio_refusing_a_number_fails_the_text_at_once(alice, victim, queue, twilio):
    _text_point(alice, victim, "+15005550001")
    message = queue()[0]
    send_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 1
    assert "21211" in message.last_error or "not valid" in message.last_error


def test_twilio_being_down_is_retried(alice, victim, queue, twilio):
    _text_point(alice, victim, "+15005550009")
    message = queue()[0]
    send_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.attempts == 1
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=30)
    assert "503" in message.last_error


def test_the_file_provider_writes_one_line_per_text(with_text, queue, settings, tmp_path):
    out = tmp_path / "sms.jsonl"
    settings.HAVEN_SMS_PROVIDER = "file"
    settings.HAVEN_SMS_FILE = str(out)
    message = queue()[0]
    send_due()
    [line] = out.read_text().splitlines()
    assert json.loads(line)["to"] == "+13125550199"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def _report(client, settings, **params):
    from haven.notices.sms import twilio_callback_url, twilio_signature

    url = twilio_callback_url()
    signature = twilio_signature(url, params, settings.HAVEN_TWILIO_AUTH_TOKEN)
    path = url.removeprefix(settings.SITE_URL)
    return client.post(path, params, headers={"X-Twilio-Signature": signature})


def test_twilios_signed_delivery_report_marks_the_text_delivered(
    client, settings, with_text, queue, twilio, django_capture_on_commit_callbacks
):
    from haven.notices.signals import message_delivered

    settings.SITE_URL = "https://haven.example.org"
    message = queue()[0]
    send_due()
    assert twilio[0]["StatusCallback"] == "https://haven.example.org/hooks/sms/twilio/status/"
    message.refresh_from_db()
    heard = []

    def listener(sender, message, **kwargs):
        heard.append(message.pk)

    message_delivered.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = _report(
                client, settings, MessageSid=message.provider_id, MessageStatus="delivered"
            )
    finally:
        message_delivered.disconnect(listener)
    assert response.status_code == 204
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert heard == [message.pk]


def test_an_undelivered_report_fails_the_text_with_a_task(
    client, settings, with_text, queue, twilio
):
    settings.SITE_URL = "https://haven.example.org"
    message = queue()[0]
    send_due()
    message.refresh_from_db()
    _report(
        client,
        settings,
        MessageSid=message.provider_id,
        MessageStatus="undelivered",
        ErrorCode="30003",
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "30003" in message.last_error
    assert "was not delivered" in Task.objects.get(pk=message.task_id).title


def test_an_unsigned_delivery_report_is_refused(client, settings, with_text, queue, twilio):
    settings.SITE_URL = "https://haven.example.org"
    message = queue()[0]
    send_due()
    message.refresh_from_db()
    response = client.post(
        "/notices/twilio/status/",
        {"MessageSid": message.provider_id, "MessageStatus": "delivered"},
        headers={"X-Twilio-Signature": "forged"},
    )
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
