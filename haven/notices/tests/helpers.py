"""Agency B's message for haven/core/tests/test_tenant_isolation.py, and small helpers."""

import re

from haven.notices.models import InboundKind, InboundState, InboundText
from haven.notices.services import message_queue


def link_token(message) -> str:
    """The opt-out token in the message's text (the row keeps only its digest)."""
    return re.search(r"/n/([^/]+)/", message.body).group(1)


def other_agency_message(cast) -> dict:
    message = message_queue(
        actor=cast.actor("other_advocate"),
        case=cast.case_b,
        person=cast.case_b.primary_victim,
        template="generic",
        facts={"body": "Erin, please call Lakeside."},
        dedupe_key="b:isolation",
    )[0]
    text = InboundText.objects.create(
        agency=cast.agency_b,
        provider="twilio",
        external_id="SM-b-isolation",
        sender="+12125550188",
        sender_index="b" * 64,
        to_number="+12125550000",
        body="Erin Lakeside here, call me",
        kind=InboundKind.REPLY,
        state=InboundState.ON_CASE,
        case=cast.case_b,
    )
    # The opt-out link is a bearer token: a wrong one is a 404 (B's own link is B's person's).
    # The providers' webhooks take a provider's name, and refuse anything unsigned (403).
    return {
        "message_id": message.pk,
        "token": "not-a-real-token",
        "text_id": text.pk,
        "provider": "twilio",
    }
