"""The worker writes a plain email's bytes itself (haven/notices/mail.py): they must be what
Django's EmailMessage writes for the same message, and anything less plain is left to Django.
Its one UPDATE per message (services.handover._hand_over) must tell which of its two rows
moved."""

from unittest import mock

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone

from haven.notices.mail import plain_email_bytes
from haven.notices.models import Message, MessageStatus
from haven.notices.services import LEASE, message_cancel
from haven.notices.services.handover import _hand_over
from haven.notices.services.worker import _claim

FROM = "victims@riverside.example.org"
VERP = "bounces+12.0123456789abcdef@haven.example.org"


def django_bytes(subject, body, *, from_header=FROM, to="dana.reyes@example.org", sender=FROM):
    email = EmailMessage(
        subject=subject,
        body=body,
        from_email=sender,
        to=[to],
        headers={"From": from_header, "Message-ID": "<haven-notice-1-7@haven.invalid>"},
    )
    return email.message().as_bytes(linesep="\r\n")


def ours(subject, body, *, from_header=FROM, to="dana.reyes@example.org", sender=FROM):
    return plain_email_bytes(
        subject=subject,
        body=body,
        from_header=from_header,
        to=to,
        message_id="<haven-notice-1-7@haven.invalid>",
        sender=sender,
    )


@pytest.fixture
def same_date():
    date = "Tue, 10 Mar 2026 14:30:00 -0000"
    with (
        mock.patch("haven.notices.mail.formatdate", return_value=date),
        mock.patch("django.core.mail.message.formatdate", return_value=date),
    ):
        yield


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (
            "An update on your case",
            "Please call us back.\n\nTo stop these messages: https://x/n/a/",
        ),
        ("Court date: 9 & bring <ID>", "O'Neil, 9 & bring <ID>.\n.\n..\nFrom us\n"),
        ("Aktualizacja", "Zażółć gęślą jaźń.\nRezygnacja: https://x/n/b/\n"),
        ("更新", "如需停止接收这些消息"),
        ("Update", ""),
        ("Update", "\n\nA line after blank lines.\n\n"),
    ],
)
def test_a_plain_email_is_written_byte_for_byte_as_django_writes_it(same_date, subject, body):
    written = ours(subject, body) if subject.isascii() else None
    if subject.isascii():
        assert written == django_bytes(subject, body)
        assert ours(subject, body, sender=VERP) == django_bytes(subject, body, sender=VERP)
    else:
        assert ours(subject, body) is None  # an encoded subject: Django writes it


@pytest.mark.parametrize(
    "change",
    [
        {"subject": "Ś" * 3},  # encoded
        {"subject": "A subject long enough that the email package would fold it onto two lines"},
        {"subject": "Two  spaces"},
        {"subject": "A\nB"},
        {"body": "x" * 999},  # quoted-printable
        {"body": "a\r\nb"},
        {"from_header": "Riverside Victim Services <victims@riverside.example.org>"},
        {"to": "dana.reyes@exämple.org"},
        {"sender": "Bounces <b@haven.example.org>"},
    ],
)
def test_anything_less_plain_is_left_to_django(change):
    fields = {"subject": "Update", "body": "Please call us back."} | change
    assert ours(**fields) is None


def test_the_email_reaches_the_server_with_its_headers_and_body(
    with_email, queue, smtp_inbox, settings
):
    settings.DEFAULT_FROM_EMAIL = FROM
    [message] = queue(facts={"subject": "Your court date", "body": "Zażółć gęślą jaźń."})
    from haven.notices.services import send_due

    assert send_due() == 1
    [(rcpt, mail)] = smtp_inbox.messages
    assert rcpt == ["dana.reyes@example.org"]
    assert mail["From"] == FROM
    assert mail["To"] == "dana.reyes@example.org"
    assert mail["Subject"] == "Your court date"
    assert mail["Message-ID"] == message.email_message_id
    assert mail["Content-Transfer-Encoding"] == "8bit"
    assert "Zażółć gęślą jaźń." in mail.get_payload(decode=True).decode("utf-8")


def _claimed(queue, n):
    made = [queue(key=f"hand:{i}")[0] for i in range(n)]
    token, claimed = _claim(now=timezone.now(), batch=50, lease=LEASE)
    assert len(claimed) == n
    return token, [Message.objects.get(pk=m.pk) for m in made]


def test_one_update_records_the_previous_as_sent_and_takes_the_next(with_email, queue):
    token, (first, second) = _claimed(queue, 2)
    assert _hand_over(first, token, None)
    first.provider_id = first.email_message_id
    assert _hand_over(second, token, first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.provider_id, first.sent_at is not None) == (
        MessageStatus.SENT,
        first.email_message_id,
        True,
    )
    assert (second.status, second.attempts, second.sent_at) == (MessageStatus.SENDING, 1, None)


def test_a_message_cancelled_before_its_turn_is_not_taken(alice, with_email, queue):
    token, (first, second) = _claimed(queue, 2)
    assert _hand_over(first, token, None)
    message_cancel(actor=alice, message=second)
    assert not _hand_over(second, token, first)  # only the previous one moved
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (MessageStatus.SENT, MessageStatus.CANCELLED)


def test_a_previous_message_already_settled_does_not_stop_the_next(with_email, queue):
    token, (first, second) = _claimed(queue, 2)
    assert _hand_over(first, token, None)
    Message.objects.filter(pk=first.pk).update(status=MessageStatus.FAILED)  # a quick bounce
    assert _hand_over(second, token, first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (MessageStatus.FAILED, MessageStatus.SENDING)
