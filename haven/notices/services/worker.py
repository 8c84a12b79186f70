"""The worker: claim a batch of due messages, then send them one by one.

A worker claims a batch of due messages in one transaction (their claim token and time; the
status stays due, so staff may still cancel them and an opt-out still suppresses them). Just
before each message goes, one conditional UPDATE hands it over (due -> "sending", in the same
transaction that records the previous one as "sent"; handover.py): only the claimant hands a
message over, and only once. One SMTP connection carries the batch (outbox.py). The timeline
lines and audit events of the batch's sent messages are written together at the end; a worker
that dies first leaves them to the next worker's recovery. So a crash costs at most the one
message in flight ("uncertain", never resent); messages claimed but not handed over are
claimed again after the lease.
"""

import uuid
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from haven.agencies.models import Agency
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.core.scoping import agency_scope, all_agencies
from haven.notices import events
from haven.notices.models import AUTOMATIC_CHANNELS, DUE_STATUSES, Message, MessageStatus, OptOut
from haven.notices.services.agency_settings import notice_settings
from haven.notices.services.handover import SENT_LIKE, _hand_over, _log_sent, _mark_sent
from haven.notices.services.outbox import PermanentError, TransientError, _Outbox
from haven.notices.services.outcomes import _fail, _settle_unsendable
from haven.notices.services.specialist_tasks import _staff_task

# A claim older than this with no result: the worker died mid-send.
LEASE = timedelta(minutes=10)


# Messages read (with their contact point and the person's opt-outs) at once just before they
# go: a change committed after that read reaches the next group.
SEND_CHUNK = 25


def recover_stale_claims(*, now: datetime | None = None, lease: timedelta = LEASE) -> int:
    """Claims older than the lease: a message handed over ("sending") with no result becomes
    "uncertain" with a task to check, and is not resent; a message recorded as sent by a worker
    that died before writing its timeline line and audit event gets them now. Returns how many
    became uncertain. (A message claimed but never handed over is simply claimed again.)"""
    now = now or timezone.now()
    with all_agencies():
        unlogged = list(
            Message.objects.filter(
                status__in=SENT_LIKE, claimed_at__lte=now - lease, sent_at__gte=F("claimed_at")
            )
            .exclude(claim_token="")
            .values_list("agency_id", "claim_token")
            .distinct()
        )
        stale = list(
            Message.objects.filter(
                status=MessageStatus.SENDING, claimed_at__lte=now - lease
            ).values_list("pk", "agency_id", "claim_token")
        )
    for agency_id, token in unlogged:
        with agency_scope(agency_id):
            _log_sent(token)
    count = 0
    for pk, agency_id, token in stale:
        with agency_scope(agency_id), transaction.atomic():
            updated = Message.objects.filter(
                pk=pk, status=MessageStatus.SENDING, claim_token=token
            ).update(
                status=MessageStatus.UNCERTAIN,
                status_note="The worker stopped while sending: it may have gone out.",
                updated_at=now,
            )
            if not updated:
                continue
            count += 1
            message = Message.objects.select_related("case__agency", "person").get(pk=pk)
            system = Actor.system(message.case.agency, "notices worker")
            events.message_event(system, message, "uncertain: check whether it arrived")
            audit_record(actor=system, action=AuditAction.NOTICE_UNCERTAIN, obj=message)
            task = _staff_task(
                message,
                f"Check with {message.person.full_name} whether the "
                f"{message.get_channel_display().lower()} "
                f"({events.template_label(message.template)}) arrived",
            )
            if task is not None:
                Message.objects.filter(pk=pk).update(task=task)
    return count


def due_message_ids(*, now: datetime, batch: int, agency_id: int | None = None) -> list:
    with all_agencies():
        query = Message.objects.filter(
            status__in=DUE_STATUSES,
            channel__in=AUTOMATIC_CHANNELS,
            next_attempt_at__lte=now,
        )
        if agency_id is not None:
            query = query.filter(agency_id=agency_id)
        return list(query.order_by("next_attempt_at", "pk").values_list("pk", "agency_id")[:batch])


def _claim(
    *,
    now: datetime,
    batch: int,
    lease: timedelta,
    agency_id: int | None = None,
    pk: int | None = None,
) -> tuple[str, list[tuple[int, int]]]:
    """Claim up to `batch` due messages nobody holds (or whose holder's lease ran out):
    returns this claim's token and the [(pk, agency_id)] it took, oldest due first."""
    token = uuid.uuid4().hex
    with all_agencies(), transaction.atomic():
        due = Message.objects.filter(
            Q(claim_token="") | Q(claimed_at__lte=now - lease),
            status__in=DUE_STATUSES,
            channel__in=AUTOMATIC_CHANNELS,
            next_attempt_at__lte=now,
        )
        if agency_id is not None:
            due = due.filter(agency_id=agency_id)
        if pk is not None:
            due = due.filter(pk=pk)
        pick = due.order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            pick = pick.select_for_update(skip_locked=True)  # PostgreSQL: workers take turns
        found = list(pick.values_list("pk", "agency_id")[:batch])
        if found:
            # The conditions again: SQLite without a lock, another worker may have been first.
            due.filter(pk__in=[pk for pk, _ in found]).update(
                claim_token=token, claimed_at=timezone.now()
            )
    return token, found


def send_due(
    *,
    now: datetime | None = None,
    batch: int = 50,
    agency_id: int | None = None,
    lease: timedelta = LEASE,
) -> int:
    """Recover dead claims, then claim and send up to `batch` due messages. Returns how many
    were handed to the mail server or SMS provider. Safe with any number of workers."""
    now = now or timezone.now()
    recover_stale_claims(now=now, lease=lease)
    token, claimed = _claim(now=now, batch=batch, lease=lease, agency_id=agency_id)
    return _send_claimed(token, claimed, now=now)


def send_one(pk: int, *, now: datetime) -> bool:
    """Claim one due message and send it; True if it left."""
    token, claimed = _claim(now=now, batch=1, lease=LEASE, pk=pk)
    return _send_claimed(token, claimed, now=now) > 0


def _send_claimed(token: str, claimed: list[tuple[int, int]], *, now: datetime) -> int:
    by_agency: dict[int, list[int]] = {}
    for pk, agency_id in claimed:
        by_agency.setdefault(agency_id, []).append(pk)
    outbox = _Outbox()
    sent = 0
    try:
        for agency_id, ids in by_agency.items():
            with agency_scope(agency_id):
                sent += _send_agency_batch(agency_id, ids, token, now=now, outbox=outbox)
    finally:
        outbox.close()
    return sent


# What the worker reads of a message's contact point: its safety flags and safe hours (not its
# encrypted value: the message keeps its own snapshot of the address or number).
_POINT_UNREAD = ("contact_point__value", "contact_point__safety_note", "contact_point__label")


def _send_agency_batch(
    agency_id: int, ids: list[int], token: str, *, now: datetime, outbox: _Outbox
) -> int:
    # Read once for the batch: the agency (its time zone), its settings, and when each safe
    # window allows sending (`now` is the batch's).
    agency = Agency.objects.get(pk=agency_id)
    config = notice_settings(agency)
    moments: dict[tuple, datetime] = {}
    pending: Message | None = None  # handed over and accepted, not yet recorded as sent
    sent: list[Message] = []
    try:
        for start in range(0, len(ids), SEND_CHUNK):
            group = list(
                Message.objects.filter(
                    pk__in=ids[start : start + SEND_CHUNK],
                    claim_token=token,
                    status__in=DUE_STATUSES,
                )
                .select_related("contact_point")
                .defer(*_POINT_UNREAD)
                .order_by("next_attempt_at", "pk")
            )
            if not group:
                continue
            opted = _opt_outs_of({message.person_id for message in group})
            for message in group:
                person_opted = opted.get(message.person_id, set())
                if _settle_unsendable(message, token, now, person_opted, config, agency, moments):
                    continue
                handed = _hand_over(message, token, pending)
                pending = None
                if not handed:
                    continue  # cancelled or suppressed since the read: it stays so
                try:
                    message.provider_id = outbox.deliver(message, config)
                except PermanentError as exc:
                    _fail(message, token, str(exc), permanent=True)
                    continue
                except TransientError as exc:
                    _fail(message, token, str(exc), permanent=False)
                    continue
                outbox.handed_over()
                pending = message
                sent.append(message)
    finally:
        if sent:
            with transaction.atomic():
                if pending is not None:
                    _mark_sent(pending, token)
                _log_sent(token, sent, agency=agency)
    return len(sent)


def _opt_outs_of(person_ids: set[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for person_id, channel in OptOut.objects.filter(
        person_id__in=person_ids, ended_at__isnull=True
    ).values_list("person_id", "channel"):
        found.setdefault(person_id, set()).add(channel)
    return found
