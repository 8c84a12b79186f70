"""The way out: the mail server and the SMS provider, and the errors worth retrying or not."""

import contextlib
import os
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

from haven.notices import sms
from haven.notices.bounces import bounce_address as delivery_bounce_address
from haven.notices.mail import plain_email_bytes
from haven.notices.models import Channel, Message, NoticeSettings
from haven.notices.services.agency_settings import notice_settings

# Test hook: the worker process exits hard after this many sends (see tests/test_worker.py).
CRASH_ENV = "HAVEN_NOTICES_CRASH_AFTER"


class TransientError(Exception):
    """A failure worth retrying later."""


class PermanentError(Exception):
    """A failure no retry will fix (a refused address, a bad number)."""


class _Outbox:
    """One worker's way out for a batch: one SMTP connection for all its emails, one SMS
    provider for its texts."""

    def __init__(self) -> None:
        self.mail = None
        self.texts = None
        self.handed = 0
        # Test hook: the worker process exits hard after this many sends.
        self.crash_after = int(os.environ.get(CRASH_ENV, "0") or 0)

    def deliver(self, message: Message, config: NoticeSettings) -> str:
        if message.channel == Channel.EMAIL:
            if self.mail is None:
                self.mail = get_connection(timeout=30)
            try:
                return _deliver_email(message, connection=self.mail)
            except TransientError:
                self.close()  # the next email opens a fresh connection
                raise
        if message.channel == Channel.SMS:
            if self.texts is None:
                self.texts = _sms_provider()
            sender = config.sms_sender or settings.HAVEN_SMS_FROM
            return _deliver_sms(message, provider=self.texts, sender=sender)
        raise PermanentError(f"The worker does not send {message.channel} messages.")

    def handed_over(self) -> None:
        self.handed += 1
        if self.crash_after and self.handed >= self.crash_after:
            os._exit(1)  # test hook: die after sending, before marking it sent

    def close(self) -> None:
        if self.mail is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.mail.close()
            self.mail = None


def _deliver_email(message: Message, *, connection=None) -> str:
    """Hand the email to the mail server: over `connection` (kept open for the next) or a
    connection of its own."""
    headers = {"Message-ID": message.email_message_id}
    # With HAVEN_BOUNCE_ADDRESS set, the envelope sender carries the message's token (VERP),
    # so a bounce names its email (delivery.py); the From the person sees is unchanged.
    envelope = delivery_bounce_address(message)
    if envelope:
        headers["From"] = settings.DEFAULT_FROM_EMAIL
    raw = None
    if isinstance(connection, SmtpBackend):
        raw = plain_email_bytes(
            subject=message.subject,
            body=message.body,
            from_header=settings.DEFAULT_FROM_EMAIL,
            to=message.destination,
            message_id=message.email_message_id,
            sender=envelope or settings.DEFAULT_FROM_EMAIL,
        )
    try:
        if raw is not None:
            # What Django's SMTP backend would send for this EmailMessage, written directly.
            connection.open()  # a no-op once open
            connection.connection.sendmail(
                envelope or settings.DEFAULT_FROM_EMAIL, [message.destination], raw
            )
            return message.email_message_id
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=envelope or settings.DEFAULT_FROM_EMAIL,
            to=[message.destination],
            headers=headers,
        )
        if connection is None:
            with get_connection(timeout=30) as own:
                own.send_messages([email])
        else:
            connection.open()  # a no-op once open; opened here, send_messages leaves it open
            connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentError(f"The mail server refused the address ({exc}).") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientError(f"Mail server trouble: {exc}") from None
    return message.email_message_id


def _sms_provider():
    try:
        return sms.get_provider()
    except sms.SmsError as exc:
        raise (PermanentError if exc.permanent else TransientError)(str(exc)) from None


def _deliver_sms(message: Message, *, provider=None, sender: str | None = None) -> str:
    if sender is None:
        sender = notice_settings(message.case.agency).sms_sender or settings.HAVEN_SMS_FROM
    provider = provider or _sms_provider()
    try:
        return provider.send(to=message.destination, body=message.body, sender=sender)
    except sms.SmsError as exc:
        if exc.permanent:
            raise PermanentError(str(exc)) from None
        raise TransientError(str(exc)) from None
