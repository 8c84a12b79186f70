"""The per-message token an email's envelope sender carries (VERP), so a bounce names the
email it is about; and the Message-IDs Haven gives its emails. Used by the worker (services)
and by delivery.py, so it imports neither."""

import re

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from haven.core.scoping import all_agencies
from haven.notices.models import Channel, Message


def _bounce_mac(pk: int) -> str:
    return salted_hmac("haven.notices.bounce", str(pk)).hexdigest()[:16]


def bounce_address(message: Message) -> str:
    """The envelope sender for this email: HAVEN_BOUNCE_ADDRESS with the message's token
    (bounces@x -> bounces+123.<mac>@x), or "" when bounces are not followed."""
    base = getattr(settings, "HAVEN_BOUNCE_ADDRESS", "") or ""
    if "@" not in base or not message.pk:
        return ""
    local, domain = base.rsplit("@", 1)
    return f"{local}+{message.pk}.{_bounce_mac(message.pk)}@{domain}"


TOKEN_RE = re.compile(r"\+(\d{1,18})\.([0-9a-f]{16})@")
MESSAGE_ID_RE = re.compile(r"<?(haven-notice-(\d+)-(\d+)@haven\.invalid)>?")


def message_id_from_token(text: str) -> str:
    """The Message-ID of the email whose VERP token is in `text` (an address, a header), or
    "" when there is none or its signature is wrong (a forged bounce changes nothing)."""
    for pk, mac in TOKEN_RE.findall(text or ""):
        if constant_time_compare(mac, _bounce_mac(int(pk))):
            with all_agencies():
                agency_id = (
                    Message.objects.filter(pk=int(pk), channel=Channel.EMAIL)
                    .values_list("agency_id", flat=True)
                    .first()
                )
            if agency_id is not None:
                return f"<haven-notice-{agency_id}-{pk}@haven.invalid>"
    return ""


def message_id_in(text: str) -> str:
    """A Haven Message-ID found in `text` (a DSN quotes the original headers), or ""."""
    match = MESSAGE_ID_RE.search(text or "")
    return f"<{match.group(1)}>" if match else ""
