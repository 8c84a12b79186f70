"""The bytes of a plain-text email, written directly: what Django's EmailMessage writes for
the same subject, body, From, To and Message-ID, without building a MIME tree and folding its
headers each time (most of the worker's CPU per message went there).

Only for the plain case: ASCII headers short enough never to be folded or encoded, plain
addresses, a body without carriage returns whose lines stay under the SMTP limit. For
anything else `plain_email_bytes` returns None and the caller lets Django write the email.
tests/test_mail_bytes.py checks the two agree byte for byte.
"""

import re
from email.utils import formatdate

from django.conf import settings

# A bare address Django's sanitize_address leaves as it is (no display name, no IDNA).
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*")
# Printable ASCII with single spaces between words: a header value no encoder changes.
_PLAIN_TEXT = re.compile(r"[!-~]+( [!-~]+)*")
# The email package folds a header line longer than this.
_HEADER_LINE = 78
# RFC 5322's limit on a body line in bytes; Django switches to quoted-printable above it.
_BODY_LINE = 998


def _plain_header(name: str, value: str) -> bool:
    return len(name) + 2 + len(value) <= _HEADER_LINE and bool(_PLAIN_TEXT.fullmatch(value))


def plain_email_bytes(
    *, subject: str, body: str, from_header: str, to: str, message_id: str, sender: str
) -> bytes | None:
    """The email as Django's SMTP backend sends an EmailMessage(subject, body, sender, [to],
    headers={"From": from_header, "Message-ID": message_id}) in utf-8, or None when it is
    not plain enough to write here. (`sender`, the envelope's, is only checked: Django would
    pass it on unchanged.)"""
    if not (
        _PLAIN_ADDRESS.fullmatch(sender)
        and _PLAIN_ADDRESS.fullmatch(from_header)
        and _PLAIN_ADDRESS.fullmatch(to)
        and _plain_header("Subject", subject)
        and _plain_header("From", from_header)
        and _plain_header("To", to)
        and _plain_header("Message-ID", message_id)
        and "\r" not in body
    ):
        return None
    try:
        payload = body.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: Django's way
        return None
    if any(len(line) > _BODY_LINE for line in payload.split(b"\n")):
        return None
    encoding = "7bit" if payload.isascii() else "8bit"
    date = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
    head = (
        'Content-Type: text/plain; charset="utf-8"\r\n'
        "MIME-Version: 1.0\r\n"
        f"Content-Transfer-Encoding: {encoding}\r\n"
        f"Subject: {subject}\r\n"
        f"From: {from_header}\r\n"
        f"To: {to}\r\n"
        f"Date: {date}\r\n"
        f"Message-ID: {message_id}\r\n"
        "\r\n"
    )
    return head.encode("ascii") + payload.replace(b"\n", b"\r\n")
