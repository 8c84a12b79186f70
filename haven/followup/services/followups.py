"""One follow-up at a time: schedule a check-in or an accompaniment appointment, record it
done or skipped. Completing or skipping a check-in schedules the next on the plan's grid,
counted from the planned occurrence, never from when it was done."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, Contact
from haven.core.actor import Actor
from haven.followup import events, schedule
from haven.followup.models import (
    APPOINTMENT_KINDS,
    FollowUp,
    FollowUpKind,
    FollowUpOutcome,
    FollowUpPlan,
    PlanStatus,
)
from haven.followup.services.agency_settings import open_weekdays
from haven.followup.services.plans import CLOSED, HORIZON, _place_check_in
from haven.lib.languages import in_english

# A clock a few minutes fast on a phone should not refuse a check-in scheduled "now".
CLOCK_SKEW = timedelta(minutes=5)


LOCATION_LIMIT = 200


NOTES_LIMIT = 2000


REASON_LIMIT = 200


WHERE = {
    FollowUpKind.COURT: "Say where: the courthouse and courtroom.",
    FollowUpKind.EXAM: "Say where: the hospital or clinic.",
    FollowUpKind.INTERVIEW: "Say where: the station or unit.",
}


def followup_schedule(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    due_at: datetime,
    location: str = "",
    notes: str = "",
    court_event_id: int | None = None,
) -> FollowUp:
    """Schedule a check-in or an accompaniment appointment (court, forensic exam, detective
    interview) on the case, for the case's specialist. A case has one pending check-in:
    scheduling one moves it (the plan's grid continues after it). An appointment needs its
    place. `court_event_id` ties a court accompaniment to its court event (haven.justice
    passes it after checking the event is the case's): it then moves and is cancelled with it.

    Refused without case.work, for another agency's case, on a closed case, for a time in the
    past or more than two years ahead.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    if not case.is_open:
        raise ValidationError(CLOSED)
    location, notes = location.strip(), notes.strip()
    _check_followup(kind, due_at, location, notes)
    label = FollowUpKind(kind).label
    with transaction.atomic():
        pending = None
        if kind == FollowUpKind.CHECK_IN:
            followup, pending = _check_in_at(actor, case, due_at, location, notes)
        else:
            followup = FollowUp.objects.create(
                agency=case.agency,
                case=case,
                kind=kind,
                due_at=due_at,
                location=location,
                notes=notes,
                created_by=actor.membership,
                court_event_id=court_event_id if kind == FollowUpKind.COURT else None,
            )
        verb = "moved to" if pending is not None else "scheduled for"
        events.follow_up(actor, case, f"{label} {verb} {events.when(case, due_at)}")
        audit_record(
            actor=actor,
            action=AuditAction.FOLLOWUP_SCHEDULE,
            obj=followup,
            details={
                "case": case.pk,
                "kind": kind,
                "due_at": due_at.isoformat(),
                "moved": pending is not None,
            },
        )
    return followup


def _check_followup(kind: str, due_at: datetime | None, location: str, notes: str) -> None:
    """Refuse an unknown kind, a time passed or more than two years ahead, an appointment
    without its place, and text too long."""
    now = timezone.now()
    errors = {}
    if kind not in FollowUpKind.values:
        errors["kind"] = "Choose a check-in or an accompaniment."
    if due_at is None:
        errors["due_at"] = "Give the date and time."
    elif due_at < now - CLOCK_SKEW:
        errors["due_at"] = "That time has passed: give a time ahead."
    elif due_at > now + HORIZON:
        errors["due_at"] = "Schedule within the next two years."
    if kind in APPOINTMENT_KINDS and not location:
        errors["location"] = WHERE[kind]
    if len(location) > LOCATION_LIMIT:
        errors["location"] = f"Keep it to {LOCATION_LIMIT} characters."
    if len(notes) > NOTES_LIMIT:
        errors["notes"] = f"Keep the notes to {NOTES_LIMIT} characters."
    if errors:
        raise ValidationError(errors)


def _check_in_at(
    actor: Actor, case: Case, due_at: datetime, location: str, notes: str
) -> tuple[FollowUp, FollowUp | None]:
    """The case's one pending check-in moved to `due_at` (locked), or a new one there; and the
    one that was pending, if any."""
    pending = (
        FollowUp.objects.select_for_update()
        .filter(case=case, kind=FollowUpKind.CHECK_IN, done_at__isnull=True)
        .first()
    )
    followup = _place_check_in(
        actor, case, n=pending.sequence if pending else None, due_at=due_at, pending=pending
    )
    if location or notes:
        followup.location, followup.notes = location, notes
        followup.save(update_fields=["location", "notes"])
    return followup, pending


class Recorded(NamedTuple):
    followup: FollowUp
    # The check-in scheduled after it, if the plan checks in regularly.
    next: FollowUp | None


def _claim(actor: Actor, followup: FollowUp, outcome: str, now: datetime, contact=None) -> None:
    claimed = FollowUp.objects.filter(pk=followup.pk, done_at__isnull=True).update(
        done_at=now, done_by=actor.membership, outcome=outcome, contact=contact
    )
    if not claimed:
        raise ValidationError(gettext("This follow-up was already recorded."))
    followup.done_at, followup.done_by, followup.outcome = now, actor.membership, outcome
    followup.contact = contact


def _schedule_next(actor: Actor, done: FollowUp, now: datetime) -> FollowUp | None:
    """After a check-in: the plan's next occurrence after both its planned time and now."""
    plan = FollowUpPlan.objects.filter(case_id=done.case_id).first()
    if plan is None or plan.status != PlanStatus.ACTIVE or plan.cadence is None:
        return None
    first = 0 if done.sequence is None else done.sequence + 1
    n, due_at = schedule.next_occurrence(
        plan.anchor_date,
        plan.cadence,
        plan.time_of_day,
        done.case.agency.tz,
        after=max(now, done.due_at),
        first=first,
        open_weekdays=open_weekdays(done.case.agency),
    )
    return _place_check_in(actor, done.case, n=n, due_at=due_at, pending=None)


def _guard(actor: Actor, followup: FollowUp) -> None:
    actor.require(Perm.CASE_WORK)
    actor.require_own(followup)
    if not followup.case.is_open:
        raise ValidationError(CLOSED)


def followup_complete(
    *,
    actor: Actor,
    followup: FollowUp,
    outcome: str = FollowUpOutcome.DONE,
    contact: Contact | None = None,
) -> Recorded:
    """Record a check-in or court appointment as done (or tried without reaching the victim),
    linking the contact-log entry it was, if any. A check-in of a plan that checks in
    regularly schedules the next one on the plan's grid: the first occurrence after both the
    planned one and now, so a check-in done late does not shift the ones after it.

    Refused without case.work, for another agency's follow-up, on a closed case, for a
    contact of another case, and when the follow-up was already recorded.
    """
    _guard(actor, followup)
    if outcome not in (FollowUpOutcome.DONE, FollowUpOutcome.NOT_REACHED):
        raise ValidationError({"outcome": gettext("Say whether it happened.")})
    if contact is not None and contact.case_id != followup.case_id:
        raise ValidationError({"contact": gettext("That contact is not on this case.")})
    case = followup.case
    now = timezone.now()
    label = in_english(followup.get_kind_display)
    with transaction.atomic():
        _claim(actor, followup, outcome, now, contact)
        following = None
        if followup.kind == FollowUpKind.CHECK_IN:
            following = _schedule_next(actor, followup, now)
        what = "done" if outcome == FollowUpOutcome.DONE else "tried, did not reach them"
        summary = f"{label} {what} (planned {events.when(case, followup.due_at)})"
        if following is not None:
            summary += f"; next on {events.when(case, following.due_at)}"
        events.follow_up(actor, case, summary)
        audit_record(
            actor=actor,
            action=AuditAction.FOLLOWUP_COMPLETE,
            obj=followup,
            details={
                "case": case.pk,
                "kind": followup.kind,
                "outcome": outcome,
                "contact": contact.pk if contact else None,
                "next": following.pk if following else None,
            },
        )
    return Recorded(followup, following)


def followup_skip(*, actor: Actor, followup: FollowUp, reason: str = "") -> Recorded:
    """Skip a check-in (the next one is scheduled as if it had been done) or cancel a court
    appointment. Refused as followup_complete refuses."""
    _guard(actor, followup)
    reason = reason.strip()
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": f"Keep it to {REASON_LIMIT} characters."})
    case = followup.case
    now = timezone.now()
    check_in = followup.kind == FollowUpKind.CHECK_IN
    outcome = FollowUpOutcome.SKIPPED if check_in else FollowUpOutcome.CANCELED
    with transaction.atomic():
        _claim(actor, followup, outcome, now)
        following = _schedule_next(actor, followup, now) if check_in else None
        summary = (
            f"{in_english(followup.get_kind_display)} of {events.when(case, followup.due_at)} "
            + ("skipped" if check_in else "canceled")
        )
        if following is not None:
            summary += f"; next on {events.when(case, following.due_at)}"
        events.follow_up(actor, case, summary)
        audit_record(
            actor=actor,
            action=AuditAction.FOLLOWUP_SKIP,
            obj=followup,
            reason=reason,
            details={
                "case": case.pk,
                "kind": followup.kind,
                "outcome": outcome,
                "next": following.pk if following else None,
            },
        )
    return Recorded(followup, following)
