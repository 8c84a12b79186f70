"""Delivery reports from the providers (issue 17, item 8): Twilio's signed status callbacks,
applied once and in order; email bounces by VERP token (through a real SMTP server and a real
Maildir) and by the signed JSON webhook. The clock is frozen: the times shown are checked."""

import hashlib
import hmac
import json
import mailbox
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from haven.cases.models import CaseEvent, CaseEventKind, Task
from haven.notices.delivery import apply_pending
from haven.notices.models import DeliveryReport, Message, MessageStatus, ProviderStatus
from haven.notices.services import send_due
from haven.notices.sms import twilio_signature

SITE = "https://haven.example.org"
STATUS_PATH = "/hooks/sms/twilio/status/"


@pytest.fixture(autouse=True)
def frozen(clock):
    return clock


@pytest.fixture
def sent_text(settings, with_text, queue, twilio):
    settings.SITE_URL = SITE
    message = queue()[0]
    assert send_due() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    return message


def report(client, settings, *, path=STATUS_PATH, signature=None, **params):
    if signature is None:
        signature = twilio_signature(SITE + path, params, settings.HAVEN_TWILIO_AUTH_TOKEN)
    headers = {"X-Twilio-Signature": signature} if signature else {}
    return client.post(path, params, headers=headers)


def timeline(message):
    return list(
        CaseEvent.objects.filter(case=message.case, kind=CaseEventKind.NOTICE)
        .order_by("at", "id")
        .values_list("data__summary", flat=True)
    )


def test_the_callback_url_twilio_is_given_is_the_per_provider_hook(sent_text, twilio):
    assert twilio[0]["StatusCallback"] == SITE + STATUS_PATH


@pytest.mark.parametrize("signature", ["", "forged", "c2lnbmVk"])
def test_a_report_without_a_good_signature_is_refused_and_changes_nothing(
    client, settings, sent_text, signature
):
    params = {"MessageSid": sent_text.provider_id, "MessageStatus": "delivered"}
    headers = {"X-Twilio-Signature": signature} if signature else {}
    response = client.post(STATUS_PATH, params, headers=headers)
    assert response.status_code == 403
    sent_text.refresh_from_db()
    assert sent_text.status == MessageStatus.SENT
    assert sent_text.provider_status == ""
    assert not DeliveryReport.objects.exists()


def test_a_report_signed_for_another_url_is_refused(client, settings, sent_text):
    params = {"MessageSid": sent_text.provider_id, "MessageStatus": "delivered"}
    signature = twilio_signature(
        "https://evil.example.org" + STATUS_PATH, params, settings.HAVEN_TWILIO_AUTH_TOKEN
    )
    assert report(client, settings, signature=signature, **params).status_code == 403


def test_without_an_auth_token_every_report_is_refused(client, settings, sent_text):
    params = {"MessageSid": sent_text.provider_id, "MessageStatus": "delivered"}
    signature = twilio_signature(SITE + STATUS_PATH, params, "secret-token")
    settings.HAVEN_TWILIO_AUTH_TOKEN = ""
    assert report(client, settings, signature=signature, **params).status_code == 403


def test_an_unknown_provider_is_not_found(client, settings, sent_text):
    path = "/hooks/sms/nosuch/status/"
    assert report(client, settings, path=path, MessageSid="x").status_code == 404


def test_queued_sent_delivered_move_the_message_and_show_their_time(
    client, settings, sent_text, clock, alice
):
    sid = sent_text.provider_id
    assert report(client, settings, MessageSid=sid, MessageStatus="queued").status_code == 204
    sent_text.refresh_from_db()
    assert sent_text.provider_status == ProviderStatus.QUEUED
    clock.shift(timedelta(seconds=20))
    report(client, settings, MessageSid=sid, MessageStatus="sent")
    sent_text.refresh_from_db()
    assert (sent_text.status, sent_text.provider_status) == (MessageStatus.SENT, "sent")
    clock.shift(timedelta(minutes=1))
    report(client, settings, MessageSid=sid, MessageStatus="delivered")
    sent_text.refresh_from_db()
    assert sent_text.status == MessageStatus.DELIVERED
    assert sent_text.provider_status == ProviderStatus.DELIVERED
    assert abs(sent_text.delivered_at - timezone.now()) < timedelta(seconds=5)
    assert timeline(sent_text)[-1] == "Text message (message from staff): delivered"
    # The case page shows it, with its time.
    client.force_login(alice.membership.user)
    page = client.get(f"/cases/{sent_text.case_id}/").content.decode()
    local = timezone.localtime(sent_text.delivered_at)
    assert f"delivered {local:%b} {local.day}" in page
    assert "Provider: Delivered to the phone" in page


def test_a_late_sent_never_overwrites_delivered(client, settings, sent_text):
    sid = sent_text.provider_id
    report(client, settings, MessageSid=sid, MessageStatus="delivered")
    report(client, settings, MessageSid=sid, MessageStatus="sent")
    report(client, settings, MessageSid=sid, MessageStatus="queued")
    sent_text.refresh_from_db()
    assert sent_text.status == MessageStatus.DELIVERED
    assert sent_text.provider_status == ProviderStatus.DELIVERED


def test_a_failure_after_delivered_changes_nothing(client, settings, sent_text):
    sid = sent_text.provider_id
    report(client, settings, MessageSid=sid, MessageStatus="delivered")
    report(client, settings, MessageSid=sid, MessageStatus="undelivered", ErrorCode="30003")
    sent_text.refresh_from_db()
    assert sent_text.status == MessageStatus.DELIVERED
    assert sent_text.task_id is None


def test_the_same_report_twice_is_applied_once(client, settings, sent_text):
    sid = sent_text.provider_id
    for _ in range(2):
        assert report(client, settings, MessageSid=sid, MessageStatus="delivered").status_code == (
            204
        )
    assert DeliveryReport.objects.filter(external_id=sid).count() == 1
    assert timeline(sent_text).count("Text message (message from staff): delivered") == 1


def test_undelivered_fails_the_text_with_a_task_naming_the_reason(
    client, settings, sent_text, cast
):
    report(
        client,
        settings,
        MessageSid=sent_text.provider_id,
        MessageStatus="undelivered",
        ErrorCode="30006",
    )
    sent_text.refresh_from_db()
    assert sent_text.status == MessageStatus.FAILED
    assert sent_text.provider_error == "30006"
    task = Task.objects.get(pk=sent_text.task_id)
    assert task.assignee == cast.advocate
    assert task.title.startswith("The text message to Dana Reyes (message from staff) was not")
    assert "30006 (a landline, or a carrier that cannot take texts)" in task.title
    # A second copy of the failure makes no second task.
    report(
        client,
        settings,
        MessageSid=sent_text.provider_id,
        MessageStatus="failed",
        ErrorCode="30006",
    )
    assert Task.objects.filter(case=sent_text.case, title=task.title).count() == 1


def test_a_report_that_comes_before_the_worker_recorded_the_id_is_applied_later(
    client, settings, sent_text
):
    sid = sent_text.provider_id
    Message.objects.filter(pk=sent_text.pk).update(provider_id="")  # not recorded yet
    assert report(client, settings, MessageSid=sid, MessageStatus="delivered").status_code == 204
    assert DeliveryReport.objects.get(external_id=sid).applied_at is None
    Message.objects.filter(pk=sent_text.pk).update(provider_id=sid)
    assert apply_pending() == 1
    sent_text.refresh_from_db()
    assert sent_text.status == MessageStatus.DELIVERED
    assert apply_pending() == 0


def test_texts_sent_before_the_new_hooks_still_report_at_the_old_address(
    client, settings, sent_text
):
    path = "/notices/twilio/status/"
    params = {"MessageSid": sent_text.provider_id, "MessageStatus": "delivered"}
    assert report(client, settings, path=path, **params).status_code == 204
    sent_text.refresh_from_db()
    assert sent_text.status == MessageStatus.DELIVERED


# ---------------------------------------------------------------- email bounces


class EnvelopeInbox:
    """An aiosmtpd handler that keeps the envelope sender (the Return-Path to be)."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        import email

        self.received.append((envelope.mail_from, email.message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def envelope_smtp(settings):
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = EnvelopeInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.DEFAULT_FROM_EMAIL = "victims@riverside.example.org"
    settings.HAVEN_BOUNCE_ADDRESS = "bounces@haven.example.org"
    yield inbox
    controller.stop()


@pytest.fixture
def sent_email(with_email, queue, envelope_smtp):
    message = queue()[0]
    assert send_due() == 1
    message.refresh_from_db()
    return message


def test_each_email_goes_out_with_its_own_bounce_token_and_the_same_from(sent_email, envelope_smtp):
    [(mail_from, mail)] = envelope_smtp.received
    assert mail_from.startswith(f"bounces+{sent_email.pk}.")
    assert mail_from.endswith("@haven.example.org")
    assert mail["From"] == "victims@riverside.example.org"
    assert mail["Message-ID"] == sent_email.email_message_id


def _dsn(to: str, *, action="failed", status="5.1.1") -> bytes:
    return (
        f"From: MAILER-DAEMON@mx.example.org\nTo: {to}\nSubject: Undelivered Mail\n"
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; "
        'boundary="B"\n\n--B\nContent-Type: text/plain\n\nSorry.\n--B\n'
        "Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
        f"Final-Recipient: rfc822; dana.reyes@example.org\nAction: {action}\n"
        f"Status: {status}\nDiagnostic-Code: smtp; 550 No such user\n--B--\n"
    ).encode()


def test_a_bounce_in_the_maildir_fails_the_email_with_a_task(sent_email, envelope_smtp, tmp_path):
    [(mail_from, _)] = envelope_smtp.received
    box = mailbox.Maildir(tmp_path / "bounces")
    box.add(_dsn(mail_from))
    box.add(_dsn(mail_from, action="delayed", status="4.4.1"))
    forged = mail_from.split("+")[0] + f"+{sent_email.pk}.0000000000000000@haven.example.org"
    box.add(_dsn(forged))
    call_command("notices_bounces", maildir=str(tmp_path / "bounces"))
    sent_email.refresh_from_db()
    assert sent_email.status == MessageStatus.FAILED
    assert sent_email.provider_status == ProviderStatus.BOUNCED
    assert "5.1.1" in sent_email.last_error
    task = Task.objects.get(pk=sent_email.task_id)
    assert task.title.startswith("The email to Dana Reyes (message from staff) bounced")
    # Running it again over the same mailbox changes nothing.
    call_command("notices_bounces", maildir=str(tmp_path / "bounces"))
    assert Task.objects.filter(title=task.title).count() == 1


def test_a_forged_token_alone_changes_nothing(sent_email, envelope_smtp, tmp_path):
    box = mailbox.mbox(tmp_path / "bounces.mbox")
    box.add(_dsn(f"bounces+{sent_email.pk}.0123456789abcdef@haven.example.org"))
    box.flush()
    call_command("notices_bounces", mbox=str(tmp_path / "bounces.mbox"))
    sent_email.refresh_from_db()
    assert sent_email.status == MessageStatus.SENT


def _signed_post(client, payload, secret="bounce-secret"):
    body = json.dumps(payload).encode()
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        "/hooks/email/bounce/",
        body,
        content_type="application/json",
        headers={"X-Haven-Signature": f"sha256={digest}"},
    )


def test_the_bounce_webhook_takes_a_message_id_or_a_return_path(
    client, settings, sent_email, envelope_smtp
):
    settings.HAVEN_BOUNCE_WEBHOOK_SECRET = "bounce-secret"
    soft = {"message_id": sent_email.email_message_id, "type": "soft", "reason": "mailbox full"}
    response = _signed_post(client, {"bounces": [soft]})
    assert response.json() == {"applied": 0, "ignored": 1}
    sent_email.refresh_from_db()
    assert sent_email.status == MessageStatus.SENT
    [(mail_from, _)] = envelope_smtp.received
    hard = {"return_path": mail_from, "type": "hard", "reason": "550 5.1.1 unknown user"}
    assert _signed_post(client, hard).json() == {"applied": 1, "ignored": 0}
    sent_email.refresh_from_db()
    assert sent_email.status == MessageStatus.FAILED
    assert sent_email.provider_error == "550 5.1.1 unknown user"


def test_the_bounce_webhook_refuses_a_bad_or_missing_signature(client, settings, sent_email):
    settings.HAVEN_BOUNCE_WEBHOOK_SECRET = "bounce-secret"
    payload = {"message_id": sent_email.email_message_id}
    assert _signed_post(client, payload, secret="wrong").status_code == 403
    response = client.post("/hooks/email/bounce/", payload, content_type="application/json")
    assert response.status_code == 403
    settings.HAVEN_BOUNCE_WEBHOOK_SECRET = ""
    assert _signed_post(client, payload, secret="").status_code == 403
    sent_email.refresh_from_db()
    assert sent_email.status == MessageStatus.SENT
