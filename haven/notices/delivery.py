"""What the providers say about messages already sent (issue 17, item 8): SMS status
callbacks and email bounces.

Every report is stored once (`DeliveryReport`, unique per source, provider id and status) and
then applied to its message. Applying is out-of-order safe: each message keeps the furthest
state the provider reported (`RANK`), so a "sent" that arrives after "delivered" changes
nothing, and a report repeated by the provider does nothing twice. A report that arrives before
the worker recorded the provider's id (the provider answered the callback faster than the
worker wrote its result) waits and is applied by the next sweep (`apply_pending`).

A final failure (undelivered, failed, bounced) fails the message with a task for the case's
specialist, like every other failure (services.message_mark_undelivered).

Bounces are matched by a per-message token in the envelope sender (VERP:
`bounces+<id>.<hmac>@domain`, when HAVEN_BOUNCE_ADDRESS is set) or by the email's Message-ID.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from haven.core.scoping import agency_scope, all_agencies
from haven.notices import services
from haven.notices.bounces import MESSAGE_ID_RE
from haven.notices.models import Channel, DeliveryReport, Message, ProviderStatus

# How far along each report is; a report never moves a message back.
RANK = {
    ProviderStatus.QUEUED: 1,
    ProviderStatus.SENT: 2,
    ProviderStatus.DELIVERED: 3,
    ProviderStatus.UNDELIVERED: 3,
    ProviderStatus.FAILED: 3,
    ProviderStatus.BOUNCED: 3,
}
FAILURES = (ProviderStatus.UNDELIVERED, ProviderStatus.FAILED, ProviderStatus.BOUNCED)

# Twilio's MessageStatus values (its "Message resource" docs) in our words.
TWILIO_STATUSES = {
    "accepted": ProviderStatus.QUEUED,
    "scheduled": ProviderStatus.QUEUED,
    "queued": ProviderStatus.QUEUED,
    "sending": ProviderStatus.QUEUED,
    "sent": ProviderStatus.SENT,
    "delivered": ProviderStatus.DELIVERED,
    "read": ProviderStatus.DELIVERED,
    "undelivered": ProviderStatus.UNDELIVERED,
    "failed": ProviderStatus.FAILED,
    "canceled": ProviderStatus.FAILED,
}
# The Twilio error codes a specialist meets most, said so they know what to do next.
TWILIO_ERRORS = {
    "30003": "the phone is switched off or out of reach",
    "30004": "the message was blocked (the person may have blocked the number)",
    "30005": "the number is unknown or no longer in use",
    "30006": "a landline, or a carrier that cannot take texts",
    "30007": "the carrier filtered it as spam",
    "30008": "unknown error at the carrier",
    "21610": "the person replied STOP to this number",
    "21211": "the number is not valid",
}
# Reports nobody could match after this long are dropped by the sweep.
PENDING_FOR = timedelta(days=2)

SOURCE_CHANNEL = {"twilio": Channel.SMS, "email": Channel.EMAIL}


def error_text(source: str, code: str) -> str:
    """The provider's code with its meaning, when we know it: "30006 (a landline, ...)"."""
    meaning = TWILIO_ERRORS.get(code) if source == "twilio" else ""
    return f"{code} ({meaning})" if meaning else code


def report_receive(
    *, source: str, external_id: str, status: str, error: str = "", at: datetime | None = None
) -> bool:
    """Store a provider's report and apply it if its message is known. Returns False for a
    report already received (the provider sent it again): nothing changes twice."""
    if source not in SOURCE_CHANNEL or status not in RANK or not external_id:
        return False
    try:
        with transaction.atomic():
            report = DeliveryReport.objects.create(
                source=source,
                external_id=external_id[:200],
                status=status,
                error=error[:300],
                received_at=at or timezone.now(),
            )
    except IntegrityError:
        return False
    _apply(report)
    return True


def _apply(report: DeliveryReport) -> bool:
    channel = SOURCE_CHANNEL[report.source]
    query = Message.objects.filter(provider_id=report.external_id, channel=channel)
    if channel == Channel.EMAIL:
        # The Message-ID names its row, so a bounce also finds an email whose worker died
        # before recording it (uncertain): the bounce proves it left, and came back.
        match = MESSAGE_ID_RE.fullmatch(report.external_id)
        if match is None:
            return False
        query = Message.objects.filter(
            pk=int(match.group(3)), agency_id=int(match.group(2)), channel=channel
        )
    with all_agencies():
        found = query.values_list("pk", "agency_id").first()
    if found is None:
        return False  # not recorded yet: apply_pending tries again
    pk, agency_id = found
    with agency_scope(agency_id):
        message = Message.objects.select_related("case__agency", "person").get(pk=pk)
        with transaction.atomic():
            message_provider_status(
                message=message,
                status=report.status,
                error=report.error,
                at=report.received_at,
                source=report.source,
            )
            DeliveryReport.objects.filter(pk=report.pk, applied_at__isnull=True).update(
                applied_at=timezone.now()
            )
    return True


def message_provider_status(
    *, message: Message, status: str, error: str = "", at: datetime, source: str = ""
) -> bool:
    """Record what the provider said about the message, unless it already said something as
    far along or further (out of order, or twice). Delivered marks the message delivered; a
    final failure fails it with a task for the specialist. Returns whether anything moved."""
    not_behind = [s for s, rank in RANK.items() if rank >= RANK[status]]
    with transaction.atomic():
        moved = (
            Message.objects.filter(pk=message.pk)
            .exclude(provider_status__in=not_behind)
            .update(provider_status=status, provider_status_at=at, provider_error=error[:300])
        )
        if not moved:
            return False
        if status == ProviderStatus.DELIVERED:
            services.message_mark_delivered(message=message, at=at)
        elif status in FAILURES:
            reason = error_text(source, error) if error else ""
            services.message_mark_undelivered(
                message=message, error=reason or status, bounced=status == ProviderStatus.BOUNCED
            )
    return True


def apply_pending(*, now: datetime | None = None) -> int:
    """Apply the reports that came before their message's provider id was recorded; drop
    those still unmatched after PENDING_FOR. Returns how many were applied."""
    now = now or timezone.now()
    applied = 0
    waiting = DeliveryReport.objects.filter(applied_at__isnull=True).order_by("received_at")
    for report in waiting[:500]:
        if _apply(report):
            applied += 1
    DeliveryReport.objects.filter(
        applied_at__isnull=True, received_at__lt=now - PENDING_FOR
    ).delete()
    return applied


# ---------------------------------------------------------------- email bounces


def bounce_receive(*, message_id: str, reason: str = "", at: datetime | None = None) -> bool:
    """A bounce for the email with this Message-ID: the email fails with a task."""
    return report_receive(
        source="email",
        external_id=message_id,
        status=ProviderStatus.BOUNCED,
        error=reason,
        at=at,
    )
