import os
import re
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import F, Model, QuerySet
from django.utils import timezone

from haven.audit.chain import event_hash, redacted_digest
from haven.audit.models import (
    SEALED_LATER,
    SYSTEM_CHAIN,
    AuditAction,
    AuditChainHead,
    AuditEvent,
)
from haven.audit.selectors import Anchor, current_anchors
from haven.core.actor import Actor


def _lock_head(chain: str) -> AuditChainHead:
    """A chain's head, held until commit.

    The UPDATE comes first so it takes the row lock (PostgreSQL) or the write lock (SQLite)
    before the head is read: two writers to one chain queue here rather than fork the chain.
    """
    if not AuditChainHead.objects.filter(chain=chain).update(seq=F("seq")):
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(chain=chain, seq=0, last_hash="")
        except IntegrityError:
            pass  # another writer created it first
        AuditChainHead.objects.filter(chain=chain).update(seq=F("seq"))
    return AuditChainHead.objects.get(chain=chain)


def _seal_pending(chain: str, seq: int, last_hash: str) -> tuple[int, str]:
    """Seal the chain's unsealed events after entry `seq` (whose hash is `last_hash`), in the
    order they were written; the caller holds the head. Returns the new last entry and hash."""
    for event in AuditEvent.objects.filter(chain=chain, seq__isnull=True).order_by("id"):
        seq += 1
        event.seq, event.prev_hash = seq, last_hash
        event.hash = event_hash(event)
        AuditEvent.objects.seal(event.pk, seq=seq, prev_hash=last_hash, hash=event.hash)
        last_hash = event.hash
    return seq, last_hash


def audit_seal(*, chain: str | None = None) -> int:
    """Seal every unsealed event (the reads of SEALED_LATER) into its chain in the order they
    were written, one transaction per chain; returns how many were sealed. Safe beside writers
    and other sealers: each chain's head is claimed first, as audit_record does."""
    if chain is not None:
        names = [chain]
    else:
        unsealed = AuditEvent.objects.filter(seq__isnull=True).order_by()
        names = sorted(set(unsealed.values_list("chain", flat=True)))
    sealed = 0
    for name in names:
        with transaction.atomic():
            head = _lock_head(name)
            seq, last_hash = _seal_pending(name, head.seq, head.last_hash)
            if seq != head.seq:
                AuditChainHead.objects.filter(chain=name).update(seq=seq, last_hash=last_hash)
                sealed += seq - head.seq
    return sealed


def audit_record(
    *,
    actor: Actor | None,
    action: AuditAction,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    reason: str = "",
    details: dict | None = None,
    agency_id: int | None = None,
    actor_label: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to its agency's chain, in the caller's transaction.

    Call it inside the operation's `transaction.atomic()`: if the operation rolls back, so does
    its audit event, and an operation is never committed without one.

    A read (SEALED_LATER) is appended unsealed, without touching the chain's head, and sealed
    into the chain later (audit_seal); any other event first seals the chain's pending reads,
    then takes the next place itself.
    """
    action = AuditAction(action)  # an unknown action is a bug: refuse it, log nothing
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk
    if actor is not None:
        agency_id = actor.agency.pk
        actor_label = actor.label
        ip = actor.ip
    chain = str(agency_id) if agency_id is not None else SYSTEM_CHAIN
    # Hash exactly what the database will hold, or verification would report a false break:
    # the column normalizes IPv6 ("2001:DB8:0::1" is stored as "2001:db8::1") and stores ""
    # as NULL.
    ip = AuditEvent._meta.get_field("ip").get_prep_value(ip) or None
    event = AuditEvent(
        chain=chain,
        at=timezone.now(),
        agency_id=agency_id,
        actor_id=actor.user_id if actor else None,
        actor_label=actor_label[:150],
        role=actor.role if actor else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        ip=ip,
        user_agent=(actor.user_agent if actor else "")[:300],
        reason=reason,
        details=details or {},
        prev_hash="",
        hash="",
    )
    if action in SEALED_LATER:
        event.save(force_insert=True)  # one INSERT: no head to wait for
        return event
    _append_to_chain(event)
    return event


def _append_to_chain(event: AuditEvent) -> None:
    """Seal the chain's pending reads, then give the event the next place, under the lock of
    the chain's head."""
    with transaction.atomic():
        head = _lock_head(event.chain)
        seq, last_hash = _seal_pending(event.chain, head.seq, head.last_hash)
        event.seq, event.prev_hash = seq + 1, last_hash
        event.hash = event_hash(event)
        event.save(force_insert=True)
        AuditChainHead.objects.filter(chain=event.chain).update(seq=event.seq, last_hash=event.hash)


def audit_record_many(
    *, actor: Actor, action: AuditAction, records: list[tuple[Model, dict]]
) -> list[AuditEvent]:
    """Append one event per (object, details) to the actor's agency chain, in that order, in
    the caller's transaction: what `audit_record` writes for each, in five queries in all (a
    worker recording a batch of sent messages). The chain's head is held once for the lot,
    and the chain's pending reads are sealed before it, as audit_record does."""
    action = AuditAction(action)
    if not records:
        return []
    chain = str(actor.agency.pk)
    ip = AuditEvent._meta.get_field("ip").get_prep_value(actor.ip) or None
    with transaction.atomic():
        head = _lock_head(chain)
        seq, prev_hash = _seal_pending(chain, head.seq, head.last_hash)
        at, events = timezone.now(), []
        for offset, (obj, details) in enumerate(records, start=1):
            event = AuditEvent(
                chain=chain,
                seq=seq + offset,
                at=at,
                agency_id=actor.agency.pk,
                actor_id=actor.user_id,
                actor_label=actor.label[:150],
                role=actor.role,
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                ip=ip,
                user_agent=actor.user_agent[:300],
                reason="",
                details=details or {},
                prev_hash=prev_hash,
            )
            event.hash = prev_hash = event_hash(event)
            events.append(event)
        AuditEvent.objects.bulk_create(events)
        AuditChainHead.objects.filter(chain=chain).update(
            seq=seq + len(records), last_hash=prev_hash
        )
    return events


def audit_anchor_write(*, path: Path) -> list[Anchor]:
    """Append every chain's head to an anchor file outside the database.

    The file is opened for appending only, so earlier anchors stay; keep it (or copy it) where
    Haven's database user cannot rewrite it. `audit_verify --anchors FILE` checks the log still
    holds every head anchored in it.
    """
    at = timezone.now().isoformat(timespec="seconds")
    anchors = current_anchors(at=at)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        for anchor in anchors:
            out.write(anchor.as_json() + "\n")
        out.flush()
        os.fsync(out.fileno())
    return anchors


# A details value that is a code, not words: an id, a count, an enum value, a digest, an amount.
_CODE = re.compile(r"[a-z0-9_.:\-]{0,80}")


def _without_words(value):
    """`value` with the strings that may be typed words taken out (None when nothing is left
    of it): numbers, booleans and lower-case codes stay."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value if _CODE.fullmatch(value) else None
    if isinstance(value, list):
        return [kept for item in value if (kept := _without_words(item)) is not None]
    if isinstance(value, dict):
        return {
            key: kept for key, item in value.items() if (kept := _without_words(item)) is not None
        }
    return None


def audit_redact(*, actor: Actor, events: QuerySet, details: dict) -> AuditEvent | None:
    """Take the words typed by staff out of `events` of the actor's agency (a purge's events
    about the records it destroyed): the reason is emptied and the details keep only numbers
    and codes. Then each event's hash no longer matches its content, so one audit.redact
    event, chained after them, carries for each the digest of what it still holds
    (chain.redacted_digest) and `details`; verification checks a redacted event against it.

    Events not sealed yet are sealed first; an event already redacted, with no words, or
    whose hash does not match its content (tampered: redacting would hide it) is left as it
    is. Returns the audit.redact event, or None when there was nothing to redact. Call it in
    the caller's transaction."""
    chain = str(actor.agency.pk)
    audit_seal(chain=chain)
    changed = []
    for event in events.filter(chain=chain, seq__isnull=False, redacted_by__isnull=True):
        kept = _without_words(event.details) or {}
        if (not event.reason and kept == event.details) or event_hash(event) != event.hash:
            continue
        event.reason, event.details = "", kept
        changed.append(event)
    if not changed:
        return None
    vouching = audit_record(
        actor=actor,
        action=AuditAction.REDACT,
        details=details | {"events": [[e.pk, redacted_digest(e)] for e in changed]},
    )
    for event in changed:
        AuditEvent.objects.redact(
            event.pk, reason="", details=event.details, redacted_by=vouching.pk
        )
    return vouching
