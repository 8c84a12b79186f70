"""Court cases and court events: a date set, moved, cancelled, accompanied, held."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.followup.accompaniment import accompaniments_follow_court_event, pending_accompaniment
from haven.followup.models import FollowUpKind
from haven.followup.services import followup_schedule
from haven.justice import events
from haven.justice.models import CourtCase, CourtEvent, CourtEventStatus
from haven.justice.services.obligations import _close_open, _open_for_event, _save_new_event
from haven.justice.services.permissions import _require_case_write
from haven.lib.languages import in_english

ACTIVE = (CourtEventStatus.SCHEDULED, CourtEventStatus.CONTINUED)


COURT_CASE_FIELDS = (
    "court",
    "level",
    "number",
    "charges",
    "defendant_name",
    "prosecutor_name",
    "prosecutor_phone",
    "prosecutor_email",
    "status",
)


def court_case_save(
    *,
    actor: Actor,
    case: Case,
    court_case: CourtCase | None = None,
    feed: bool = False,
    version: int | None = None,
    **fields,
) -> CourtCase:
    """Add a court case to a case, or change one. Refused without case.work (or, for a feed,
    justice.import), for a case outside reach, a blank court or number, or a number the case
    already has; a change, when the court case was saved since `version` (StaleEdit, nothing
    written)."""
    _require_case_write(actor, case, feed=feed)
    if court_case is not None:
        check_version(court_case, version)
    unknown = set(fields) - set(COURT_CASE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown court case fields: {', '.join(sorted(unknown))}.")
    fields = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    with transaction.atomic():
        creating = court_case is None
        if creating:
            court_case = CourtCase(agency=case.agency, case=case)
        elif court_case.case_id != case.pk:
            raise ValidationError(gettext("That court case belongs to another case."))
        before = {name: getattr(court_case, name) for name in fields}
        for name, value in fields.items():
            setattr(court_case, name, value)
        court_case.full_clean()
        if creating:
            court_case.save()
        else:
            save_versioned(court_case, version=version, fields=fields)
        changed = sorted(k for k in fields if before[k] != fields[k])
        if creating:
            events.justice_line(
                actor, case, f"Court case {court_case.number} added ({court_case.court})"
            )
        audit_record(
            actor=actor,
            action=AuditAction.COURT_CASE_SAVE,
            obj=court_case,
            details={"case": case.pk, "created": creating, "changed": changed},
        )
    return court_case


def court_event_record(
    *,
    actor: Actor,
    court_case: CourtCase,
    kind: str,
    scheduled_at: datetime,
    courthouse: str = "",
    courtroom: str = "",
    external_id: str = "",
    source: str = "manual",
) -> CourtEvent:
    """A court date set: the event and, in the same transaction, its obligations (and the
    messages they queue). Refused as court_case_save is, and for an unknown kind."""
    case = court_case.case
    _require_case_write(actor, case, feed=source != "manual")
    now = timezone.now()
    with transaction.atomic():
        event = CourtEvent(
            agency=case.agency,
            court_case=court_case,
            case=case,
            kind=kind,
            scheduled_at=scheduled_at,
            courthouse=courthouse.strip(),
            courtroom=courtroom.strip(),
            external_id=external_id.strip(),
            source=source,
        )
        _save_new_event(
            actor,
            event,
            line=events.court_event_recorded,
            action=AuditAction.COURT_EVENT_SAVE,
            details={
                "case": case.pk,
                "kind": kind,
                "scheduled_at": scheduled_at.isoformat(),
                "source": source,
            },
            trigger="court.scheduled",
            trigger_at=now,
        )
    return event


def court_event_move(
    *,
    actor: Actor,
    event: CourtEvent,
    scheduled_at: datetime,
    courthouse: str | None = None,
    courtroom: str | None = None,
    feed: bool = False,
) -> CourtEvent:
    """The court moved the date (a continuance): the old date's open obligations no longer
    apply, the new date owes fresh ones (the victim is told of the change). Refused for a held
    or cancelled event and for the same time."""
    _require_case_write(actor, event.case, feed=feed)
    now = timezone.now()
    with transaction.atomic():
        event = CourtEvent.objects.select_for_update().get(pk=event.pk)
        if event.status not in ACTIVE:
            raise ValidationError(
                f"This {event.get_kind_display().lower()} is {event.get_status_display().lower()}:"
                " record a new court event instead."
            )
        if scheduled_at == event.scheduled_at:
            raise ValidationError(
                {"scheduled_at": gettext("That is the time it is already set for.")}
            )
        old = event.scheduled_at
        event.previous_scheduled_at = old
        event.scheduled_at = scheduled_at
        event.status = CourtEventStatus.CONTINUED
        event.sequence += 1
        fields = ["previous_scheduled_at", "scheduled_at", "status", "sequence", "updated_at"]
        if courthouse is not None:
            event.courthouse = courthouse.strip()
            fields.append("courthouse")
        if courtroom is not None:
            event.courtroom = courtroom.strip()
            fields.append("courtroom")
        event.full_clean()
        event.save(update_fields=fields)
        _close_open(actor, event, before_time=old, note="The court moved this date.")
        events.court_event_moved(actor, event)
        accompaniments_follow_court_event(
            actor=actor, court_event_id=event.pk, scheduled_at=scheduled_at, location=event.place
        )
        audit_record(
            actor=actor,
            action=AuditAction.COURT_EVENT_SAVE,
            obj=event,
            details={
                "case": event.case_id,
                "moved_from": old.isoformat(),
                "moved_to": scheduled_at.isoformat(),
            },
        )
        _open_for_event(actor, event, trigger="court.moved", trigger_at=now)
    return event


def court_event_cancel(
    *, actor: Actor, event: CourtEvent, reason: str = "", feed: bool = False
) -> CourtEvent:
    """The court struck the date: every open obligation of it is not applicable. Refused for
    an event already held or cancelled."""
    _require_case_write(actor, event.case, feed=feed)
    with transaction.atomic():
        event = CourtEvent.objects.select_for_update().get(pk=event.pk)
        if event.status not in ACTIVE:
            raise ValidationError(
                f"This court event is already {event.get_status_display().lower()}."
            )
        event.status = CourtEventStatus.CANCELLED
        event.sequence += 1
        event.outcome = reason.strip()[:1000]
        event.save(update_fields=["status", "outcome", "sequence", "updated_at"])
        closed = _close_open(actor, event, note="The court event was cancelled.")
        events.court_event_cancelled(actor, event)
        accompaniments_follow_court_event(actor=actor, court_event_id=event.pk, cancelled=True)
        audit_record(
            actor=actor,
            action=AuditAction.COURT_EVENT_SAVE,
            obj=event,
            details={"case": event.case_id, "cancelled": True, "obligations_closed": closed},
        )
    return event


def court_event_accompany(*, actor: Actor, event: CourtEvent):
    """Schedule a court accompaniment tied to the hearing (followup.services.followup_schedule
    with the event's id, time and place). Refused for a hearing held or cancelled, for one
    already accompanied, and as followup_schedule refuses (case.work, a closed case, a time
    passed)."""
    from_db = CourtEvent.objects.get(pk=event.pk)
    if from_db.status not in ACTIVE:
        raise ValidationError(f"This court event is {from_db.get_status_display().lower()}.")
    if pending_accompaniment(from_db.pk):
        raise ValidationError(gettext("This hearing already has a court accompaniment scheduled."))
    return followup_schedule(
        actor=actor,
        case=from_db.case,
        kind=FollowUpKind.COURT,
        due_at=from_db.scheduled_at,
        location=from_db.place or from_db.court_case.court,
        notes=f"{in_english(from_db.get_kind_display)} ({from_db.court_case.number})",
        court_event_id=from_db.pk,
    )


def court_event_outcome(
    *, actor: Actor, event: CourtEvent, outcome: str, feed: bool = False
) -> CourtEvent:
    """The hearing was held: what came of it, and the outcome notices it owes. Refused without
    an outcome, for a cancelled event, and for one already held."""
    _require_case_write(actor, event.case, feed=feed)
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": gettext("Say what came of the hearing.")})
    now = timezone.now()
    with transaction.atomic():
        event = CourtEvent.objects.select_for_update().get(pk=event.pk)
        if event.status not in ACTIVE:
            raise ValidationError(
                f"This court event is already {event.get_status_display().lower()}."
            )
        event.status = CourtEventStatus.HELD
        event.sequence += 1
        event.outcome = outcome[:1000]
        event.full_clean()
        event.save(update_fields=["status", "outcome", "sequence", "updated_at"])
        events.court_event_held(actor, event)
        audit_record(
            actor=actor,
            action=AuditAction.COURT_EVENT_SAVE,
            obj=event,
            details={"case": event.case_id, "held": True},
        )
        _open_for_event(actor, event, trigger="court.held", trigger_at=now)
    return event
