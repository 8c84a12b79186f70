"""Retention's writes: schedules, legal holds, proposing a purge and approving it
(docs/retention.md). Every one checks the role, runs in one transaction and is audited."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.models import Agency, Membership
from haven.agencies.roles import Perm, Role
from haven.audit.models import AuditAction, AuditEvent
from haven.audit.services import audit_record, audit_redact
from haven.cases.models import Case
from haven.core.actor import Actor
from haven.funding.models import FundingSource
from haven.lib.quarters import Quarter
from haven.notices.staff_alerts import staff_alert_queue
from haven.people.models import Person
from haven.reports.services import pmt_freeze
from haven.retention.graph import PurgeBlocked
from haven.retention.kinds import KINDS, Destroyed, cutoff
from haven.retention.models import (
    BatchStatus,
    DestructionCertificate,
    ItemStatus,
    LegalHold,
    PurgeBatch,
    PurgeItem,
    RecordKind,
    RetentionSchedule,
)


def agency_today(agency: Agency) -> date:
    return timezone.now().astimezone(agency.tz).date()


def schedule_save(
    *, actor: Actor, kind: str, years: int, legal_basis: str, active: bool = True
) -> RetentionSchedule:
    """Set how long the agency keeps one kind of record. Refused without the coordinator's
    right, or without a legal basis (the agency's approved records schedule, the grant's rule)."""
    actor.require(Perm.RETENTION_SCHEDULE)
    if kind not in RecordKind.values:
        raise ValidationError({"kind": gettext("Choose a kind of record.")})
    if not legal_basis.strip():
        raise ValidationError(
            {"legal_basis": gettext("Name the rule or approved schedule this follows.")}
        )
    with transaction.atomic():
        schedule = RetentionSchedule.objects.filter(agency=actor.agency, kind=kind).first()
        old = (schedule.years, schedule.active) if schedule else None
        schedule = schedule or RetentionSchedule(agency=actor.agency, kind=kind)
        schedule.years = years
        schedule.legal_basis = legal_basis.strip()
        schedule.active = active
        schedule.updated_by = actor.membership
        schedule.updated_at = timezone.now()
        schedule.full_clean()
        schedule.save()
        audit_record(
            actor=actor,
            action=AuditAction.RETENTION_SCHEDULE_SAVE,
            obj=schedule,
            details={"kind": kind, "years": years, "active": active, "was": old},
        )
    return schedule


def hold_place(
    *, actor: Actor, reason: str, case: Case | None = None, person: Person | None = None
) -> LegalHold:
    """Keep a case, or a person and all their cases, out of every purge until released."""
    actor.require(Perm.RETENTION_PURGE)
    if (case is None) == (person is None):
        raise ValidationError(gettext("Hold one case or one person."))
    record = case or person
    actor.require_own(record)
    if not reason.strip():
        raise ValidationError(
            {"reason": gettext("Say why the record must be kept (the order, the matter).")}
        )
    with transaction.atomic():
        hold = LegalHold(
            agency=actor.agency,
            case=case,
            person=person,
            reason=reason.strip(),
            placed_by=actor.membership,
        )
        hold.full_clean()
        hold.save()
        audit_record(
            actor=actor,
            action=AuditAction.LEGAL_HOLD_PLACE,
            obj=hold,
            details={"case": case.pk if case else None, "person": person.pk if person else None},
        )
    return hold


def hold_release(*, actor: Actor, hold: LegalHold) -> LegalHold:
    actor.require(Perm.RETENTION_PURGE)
    actor.require_own(hold)
    with transaction.atomic():
        if not LegalHold.objects.filter(pk=hold.pk, released_at__isnull=True).update(
            released_at=timezone.now(), released_by=actor.membership
        ):
            raise ValidationError(gettext("This hold was released already."))
        hold.refresh_from_db()
        audit_record(actor=actor, action=AuditAction.LEGAL_HOLD_RELEASE, obj=hold)
    return hold


def batch_propose(*, actor: Actor, kind: str) -> PurgeBatch | None:
    """List the records of `kind` due today under the agency's schedule as a batch waiting
    for approval; None when nothing is due. Refused without an active schedule, or while an
    earlier batch of the kind still waits."""
    actor.require(Perm.RETENTION_PURGE)
    schedule = RetentionSchedule.objects.filter(agency=actor.agency, kind=kind, active=True).first()
    if schedule is None:
        raise ValidationError(
            gettext("The agency has no retention schedule for this kind of record.")
        )
    with transaction.atomic():
        if PurgeBatch.objects.filter(
            agency=actor.agency, kind=kind, status=BatchStatus.PROPOSED
        ).exists():
            raise ValidationError(gettext("A batch of this kind is already waiting for approval."))
        due = KINDS[kind].due(actor.agency, cutoff(agency_today(actor.agency), schedule.years))
        if not due:
            return None
        batch = PurgeBatch.objects.create(
            agency=actor.agency,
            kind=kind,
            proposed_by=actor.membership,
            proposed_label=actor.label,
            years=schedule.years,
            legal_basis=schedule.legal_basis,
        )
        PurgeItem.objects.bulk_create(
            PurgeItem(
                agency=actor.agency,
                batch=batch,
                object_id=d.object_id,
                label=d.label,
                trigger_date=d.trigger_date,
            )
            for d in due
        )
        audit_record(
            actor=actor,
            action=AuditAction.PURGE_PROPOSE,
            obj=batch,
            details={"kind": kind, "count": len(due), "years": schedule.years},
        )
        _tell_supervisors(batch, len(due))
    return batch


def _tell_supervisors(batch: PurgeBatch, count: int) -> None:
    deciders = (
        Membership.objects.filter(
            agency=batch.agency_id, role__in=[Role.SUPERVISOR, Role.COORDINATOR], is_active=True
        )
        .exclude(pk=batch.proposed_by_id)
        .select_related("user")
    )
    staff_alert_queue(
        agency=batch.agency,
        kind="retention",
        subject="Records due for destruction",
        body=(
            f"{count} record(s) ({batch.get_kind_display()}) are due for destruction under the "
            "agency's retention schedule and wait for a supervisor's approval in Haven "
            "(Retention). Nothing is destroyed until someone other than the proposer approves."
        ),
        dedupe_key=f"retention-batch-{batch.pk}",
        to_members=deciders,
        source=f"retention.batch:{batch.pk}",
    )


def propose_due(*, agency: Agency) -> list[PurgeBatch]:
    """The monthly job: a batch for every kind with an active schedule and records due (a
    kind whose earlier batch still waits is left alone)."""
    actor = Actor.system(agency, "retention monthly job")
    made = []
    for schedule in RetentionSchedule.objects.filter(agency=agency, active=True).order_by("kind"):
        if PurgeBatch.objects.filter(
            agency=agency, kind=schedule.kind, status=BatchStatus.PROPOSED
        ).exists():
            continue
        batch = batch_propose(actor=actor, kind=schedule.kind)
        if batch is not None:
            made.append(batch)
    return made


def _refuse(actor: Actor, batch: PurgeBatch, why: str) -> None:
    """Record the refused attempt (in its own transaction: the refusal rolls nothing back)
    and raise."""
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.PURGE_REFUSED, obj=batch, details={"why": why})
    raise ValidationError(why)


def batch_reject(*, actor: Actor, batch: PurgeBatch, note: str = "") -> PurgeBatch:
    actor.require(Perm.RETENTION_PURGE)
    actor.require_own(batch)
    with transaction.atomic():
        if not PurgeBatch.objects.filter(pk=batch.pk, status=BatchStatus.PROPOSED).update(
            status=BatchStatus.REJECTED,
            decided_by=actor.membership,
            decided_at=timezone.now(),
            decision_note=note[:300],
        ):
            raise ValidationError(gettext("This batch was decided already."))
        batch.refresh_from_db()
        audit_record(actor=actor, action=AuditAction.PURGE_REJECT, obj=batch)
    return batch


def _freeze(actor: Actor, quarters: set[tuple[Quarter, int | None]], batch: PurgeBatch) -> list:
    sources = {s.pk: s for s in FundingSource.objects.filter(agency=actor.agency)}
    frozen = []
    for quarter, source_id in sorted(quarters, key=lambda q: (str(q[0]), q[1] or 0)):
        pmt_freeze(
            actor=actor,
            quarter=quarter,
            source=sources.get(source_id) if source_id else None,
            reason=f"Before the purge of batch {batch.pk}",
        )
        frozen.append(f"{quarter}" + (f" (source {source_id})" if source_id else ""))
    return frozen


def _with_later_quarters(quarters, today: date):
    """Each quarter, and the later quarters of its fiscal year that have ended: a person
    taken out of one quarter would count as new in the next."""
    found = set(quarters)
    for quarter, source_id in quarters:
        later = quarter
        for _ in range(3):
            later = Quarter.containing(date.fromordinal(later.end.toordinal() + 1))
            if later.fiscal_year_start != quarter.fiscal_year_start or later.end >= today:
                break
            found.add((later, source_id))
    return found


def record_destroy(*, actor: Actor, kind: str, record, last_day: date) -> Destroyed:
    """Destroy one record of `kind` and everything of it; refused under a legal hold, when it
    is not ended (a case reopened) or its trigger date is after `last_day`. Call inside the
    purge's transaction."""
    actor.require(Perm.RETENTION_PURGE)
    actor.require_own(record)
    handler = KINDS[kind]
    why = handler.kept_because(actor.agency, record, last_day)
    if why:
        raise ValidationError(f"Refused: {why}")
    return handler.destroy(actor.agency, record)


def _canonical(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()


@dataclass
class _Purged:
    """What the records destroyed so far leave for the certificate (no personal data)."""

    salt: str = field(default_factory=lambda: secrets.token_hex(16))
    rows: Counter = field(default_factory=Counter)
    documents: list[tuple[str, str]] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)
    triggers: list[date] = field(default_factory=list)
    records: list[tuple[str, int]] = field(default_factory=list)


def _check_approver(actor: Actor, batch: PurgeBatch) -> None:
    actor.require(Perm.RETENTION_PURGE)
    actor.require_own(batch)
    if actor.membership is None:
        raise PermissionDenied("A purge is approved by a person.")
    if batch.proposed_by_id == actor.membership.pk:
        _refuse(actor, batch, "You proposed this purge: another supervisor must approve it.")


def _skip(item: PurgeItem, why: str) -> None:
    item.status, item.skip_reason = ItemStatus.SKIPPED, why[:200]
    item.save(update_fields=["status", "skip_reason"])


def _still_going(agency: Agency, handler, items: list[PurgeItem], last_day: date, today: date):
    """(item, record, quarters) for each item that may still go; the others are marked kept
    with why (gone already, held, reopened, no longer due, counted in an open quarter)."""
    going = []
    for item in items:
        record = handler.get(agency, item.object_id)
        why = "Gone already." if record is None else handler.kept_because(agency, record, last_day)
        if not why:
            quarters = handler.quarters(agency, record)
            open_quarter = next((q for q, _s in quarters if q.end >= today), None)
            if open_quarter is None:
                going.append((item, record, quarters))
                continue
            why = f"Counted in {open_quarter}, whose PMT report is not filed yet."
        _skip(item, why)
    return going


def _destroy_each(actor: Actor, kind: str, going, last_day: date) -> _Purged:
    """Destroy each record all or nothing (a savepoint each); one that cannot go whole is
    kept, with why."""
    purged = _Purged()
    for item, record, _quarters in going:
        try:
            with transaction.atomic():
                done = record_destroy(actor=actor, kind=kind, record=record, last_day=last_day)
        except (PurgeBlocked, ValidationError) as exc:
            _skip(item, str(exc))
            continue
        purged.rows.update(done.rows)
        purged.documents.extend(done.documents)
        purged.records.extend(done.records)
        purged.digests.append(
            hashlib.sha256(f"{purged.salt}:{kind}:{item.object_id}".encode()).hexdigest()
        )
        purged.triggers.append(item.trigger_date)
        item.status = ItemStatus.PURGED
        item.save(update_fields=["status"])
    return purged


# Events about a child row of a case or a person name it in their details under these keys.
_DETAILS_KEY = {"cases.case": "case", "people.person": "person"}


def _redact_words(actor: Actor, batch: PurgeBatch, records: list[tuple[str, int]]) -> None:
    """Take the words staff typed (a reason, free-text details) out of the access log's
    events about the destroyed records: those naming a record itself, and those naming a
    destroyed case or person in their details (a note's, a document's, a request's events).
    The ids, actions, times and staff stay; audit_redact keeps verification whole."""
    if not records:
        return
    ids: dict[str, list[int]] = {}
    for label, pk in records:
        ids.setdefault(label, []).append(pk)
    about = Q()
    for label, pks in ids.items():
        about |= Q(object_type=label, object_id__in=[str(pk) for pk in pks])
        if key := _DETAILS_KEY.get(label):
            about |= Q(**{f"details__{key}__in": pks + [str(pk) for pk in pks]})
    audit_redact(
        actor=actor,
        events=AuditEvent.objects.filter(about),
        details={"batch": batch.pk, "kind": batch.kind, "records": len(records)},
    )


def _certify(
    actor: Actor, batch: PurgeBatch, listed: int, purged: _Purged, frozen: list
) -> DestructionCertificate:
    """Close the batch and write its certificate, with its digest, to the table and to the
    access log."""
    now = timezone.now()
    batch.status = BatchStatus.DONE
    batch.decided_by = actor.membership
    batch.decided_at = now
    batch.save(update_fields=["status", "decided_by", "decided_at"])
    certificate = DestructionCertificate(
        agency=actor.agency,
        batch=batch,
        number=_next_number(actor.agency, now),
        kind=batch.kind,
        count=len(purged.digests),
        kept=listed - len(purged.digests),
        earliest_trigger=min(purged.triggers, default=None),
        latest_trigger=max(purged.triggers, default=None),
        years=batch.years,
        legal_basis=batch.legal_basis,
        proposed_label=batch.proposed_label,
        proposed_at=batch.proposed_at,
        approved_label=actor.label,
        approved_at=now,
        salt=purged.salt,
        digests=sorted(purged.digests),
        document_digests=[list(d) for d in sorted(purged.documents)],
        rows=dict(sorted(purged.rows.items())),
        frozen_quarters=frozen,
    )
    certificate.sha256 = hashlib.sha256(_canonical(certificate_content(certificate))).hexdigest()
    certificate.save()
    event = audit_record(
        actor=actor,
        action=AuditAction.DESTRUCTION_CERTIFICATE,
        obj=certificate,
        details={
            "certificate": certificate.number,
            "sha256": certificate.sha256,
            "kind": certificate.kind,
            "count": certificate.count,
            "kept": certificate.kept,
            "batch": batch.pk,
            "rows": certificate.rows,
        },
    )
    DestructionCertificate.objects.filter(pk=certificate.pk).update(audit_event_id=event.pk)
    certificate.audit_event_id = event.pk
    return certificate


def batch_approve(*, actor: Actor, batch: PurgeBatch) -> DestructionCertificate:
    """Approve a proposed batch and destroy its records, each all or nothing; write the
    certificate of destruction to the access log.

    Refused: without the right, for the proposer (two people decide), for a batch decided
    already. Kept (listed on the certificate as kept, with why): a record under a legal hold,
    a case reopened since, a record gone already, one counted in a quarter whose PMT report
    is not yet filed, one that cannot be destroyed whole."""
    _check_approver(actor, batch)
    handler = KINDS[batch.kind]
    today = agency_today(actor.agency)
    last_day = cutoff(today, batch.years)
    with transaction.atomic():
        locked = PurgeBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != BatchStatus.PROPOSED:
            raise ValidationError(gettext("This batch was decided already."))
        items = list(locked.items.filter(status=ItemStatus.PENDING))
        going = _still_going(actor.agency, handler, items, last_day, today)
        quarters = set().union(*(q for _i, _r, q in going)) if going else set()
        frozen = _freeze(actor, _with_later_quarters(quarters, today), locked)
        purged = _destroy_each(actor, locked.kind, going, last_day)
        _redact_words(actor, locked, purged.records)
        return _certify(actor, locked, len(items), purged, frozen)


def _next_number(agency: Agency, now) -> str:
    year = now.astimezone(agency.tz).year
    taken = DestructionCertificate.objects.filter(agency=agency, number__startswith=f"{year}-")
    return f"{year}-{taken.count() + 1:04d}"


def certificate_content(certificate: DestructionCertificate) -> dict:
    """What the certificate's digest covers: everything on it but the digest itself."""
    return {
        "agency": certificate.agency_id,
        "number": certificate.number,
        "kind": certificate.kind,
        "count": certificate.count,
        "kept": certificate.kept,
        "earliest_trigger": certificate.earliest_trigger,
        "latest_trigger": certificate.latest_trigger,
        "years": certificate.years,
        "legal_basis": certificate.legal_basis,
        "proposed_by": certificate.proposed_label,
        "proposed_at": certificate.proposed_at.isoformat(),
        "approved_by": certificate.approved_label,
        "approved_at": certificate.approved_at.isoformat(),
        "salt": certificate.salt,
        "digests": certificate.digests,
        "documents": certificate.document_digests,
        "rows": certificate.rows,
        "frozen_quarters": certificate.frozen_quarters,
    }
