"""Every change to follow-up. Each service takes the acting member, checks permission, guards
the case's status, validates, then in one transaction saves, writes the timeline line and the
audit event.

Check-ins come one at a time: a plan has at most one pending check-in, and completing or
skipping it schedules the next on the plan's grid (schedule.py), counted from the planned
occurrence, never from when it was done. Court accompaniment appointments are one-offs.
"""
# long: the follow-up schedule's services (settings, rules, plans, check-ins, digests); each short

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.models import Agency, Membership, ServiceHours
from haven.agencies.roles import CASEWORKER_ROLES, Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Contact,
    Priority,
)
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.followup import events, schedule
from haven.followup.models import (
    APPOINTMENT_KINDS,
    CadenceUnit,
    FollowUp,
    FollowUpKind,
    FollowUpOutcome,
    FollowUpPlan,
    FollowUpRule,
    FollowUpSettings,
    PlanSource,
    PlanStatus,
)
from haven.lib.languages import in_english
from haven.lib.reference import choices

# A clock a few minutes fast on a phone should not refuse a check-in scheduled "now".
CLOCK_SKEW = timedelta(minutes=5)
# How far ahead a follow-up may be scheduled, and the longest step of a cadence.
HORIZON = timedelta(days=2 * 366)
MAX_EVERY = {schedule.DAYS: 90, schedule.WEEKS: 26, schedule.MONTHS: 12}
LOCATION_LIMIT = 200
NOTES_LIMIT = 2000
REASON_LIMIT = 200
# How many cases one run of the hourly task starts or stops plans for, per agency.
BATCH = 500
CLOSED = "This case is closed. Reopen it to schedule follow-ups."
WHERE = {
    FollowUpKind.COURT: "Say where: the courthouse and courtroom.",
    FollowUpKind.EXAM: "Say where: the hospital or clinic.",
    FollowUpKind.INTERVIEW: "Say where: the station or unit.",
}
VICTIMIZATION_CODES = {code for code, _ in choices("pmt", "victimization_types")}


# Settings and business days.


def followup_settings(agency: Agency) -> FollowUpSettings:
    """The agency's follow-up settings; the defaults (unsaved) until a coordinator saves them."""
    return FollowUpSettings.objects.filter(agency=agency).first() or FollowUpSettings(agency=agency)


def open_weekdays(agency: Agency) -> frozenset[int] | None:
    """The weekdays check-ins may fall on: None when the agency does not move them; else the
    weekdays with service hours, Monday to Friday when it has entered none."""
    if not followup_settings(agency).skip_closed_days:
        return None
    days = frozenset(ServiceHours.objects.filter(agency=agency).values_list("weekday", flat=True))
    return days or schedule.WEEKDAYS


def followup_settings_save(
    *, actor: Actor, skip_closed_days: bool, default_time: time, version: int | None = None
) -> FollowUpSettings:
    """Change the agency's follow-up settings. Refused without agency.configure, and when they
    were saved since `version` (StaleEdit, nothing written)."""
    actor.require(Perm.AGENCY_CONFIGURE)
    if default_time is None:
        raise ValidationError({"default_time": gettext("Give the time of day check-ins are due.")})
    with transaction.atomic():
        current = followup_settings(actor.agency)
        check_version(current, version)
        before = (current.skip_closed_days, current.default_time)
        current.skip_closed_days = skip_closed_days
        current.default_time = default_time.replace(second=0, microsecond=0)
        current.updated_by = actor.membership
        current.updated_at = timezone.now()
        save_versioned(
            current,
            version=version,
            fields=["skip_closed_days", "default_time", "updated_by", "updated_at"],
        )
        audit_record(
            actor=actor,
            action=AuditAction.FOLLOWUP_SETTINGS,
            obj=current,
            details={
                "skip_closed_days": skip_closed_days,
                "default_time": current.default_time.strftime("%H:%M"),
                "changed": before != (current.skip_closed_days, current.default_time),
            },
        )
    return current


# Rules.


@dataclass
class RuleData:
    name: str
    unit: str
    every: int = 1
    victimization: str = ""
    priority: str = ""
    position: int = 0
    is_active: bool = True


def _check_cadence(unit: str, every: int | None) -> dict[str, str]:
    if unit not in CadenceUnit.values:
        return {"unit": "Choose how often to check in."}
    if unit == schedule.WEEKLY_THEN_MONTHLY:
        return {}
    limit = MAX_EVERY[unit]
    if every is None or not 1 <= every <= limit:
        return {"every": f"Give a number from 1 to {limit}."}
    return {}


def followup_rule_save(
    *, actor: Actor, data: RuleData, rule: FollowUpRule | None = None, version: int | None = None
) -> FollowUpRule:
    """Create a rule (rule=None) or change one. Refused without agency.configure, and a change
    when the rule was saved since `version` (StaleEdit, nothing written). A changed rule
    applies to cases that become active from now on; plans already made keep theirs."""
    actor.require(Perm.AGENCY_CONFIGURE)
    if rule is not None:
        actor.require_own(rule)
        check_version(rule, version)
    data.name = data.name.strip()
    errors = _check_cadence(data.unit, data.every)
    if not data.name:
        errors["name"] = "Name the rule, e.g. “Domestic violence”."
    elif len(data.name) > 80:
        errors["name"] = "Keep the name to 80 characters."
    if data.victimization and data.victimization not in VICTIMIZATION_CODES:
        errors["victimization"] = "Choose a victimization type, or any."
    if data.priority and data.priority not in Priority.values:
        errors["priority"] = "Choose a priority, or any."
    if not 0 <= data.position <= 999:
        errors["position"] = "Give an order from 0 to 999 (lower is tried first)."
    if errors:
        raise ValidationError(errors)
    if data.unit == schedule.WEEKLY_THEN_MONTHLY:
        data.every = 1
    creating = rule is None
    rule = rule or FollowUpRule(agency=actor.agency)
    before = {} if creating else {f.name: getattr(rule, f.name) for f in fields(RuleData)}
    for f in fields(RuleData):
        setattr(rule, f.name, getattr(data, f.name))
    rule.updated_by = actor.membership
    rule.updated_at = timezone.now()
    with transaction.atomic():
        if creating:
            rule.save()
        else:
            own = [f.name for f in fields(RuleData)]
            save_versioned(rule, version=version, fields=[*own, "updated_by", "updated_at"])
        changed = sorted(
            f.name for f in fields(RuleData) if before.get(f.name) != getattr(rule, f.name)
        )
        audit_record(
            actor=actor,
            action=AuditAction.FOLLOWUP_RULE_SAVE,
            obj=rule,
            details={"created": creating, "fields": changed},
        )
    return rule


def matching_rule(case: Case, rules: list[FollowUpRule] | None = None) -> FollowUpRule | None:
    """The first active rule, in order, whose victimization type (any, when empty) is one of the
    case's and whose priority (any, when empty) is the case's."""
    if rules is None:
        rules = list(FollowUpRule.objects.filter(agency_id=case.agency_id, is_active=True))
    codes = {v.code for v in case.victimizations.all()}
    for rule in rules:
        if not rule.is_active:
            continue
        if rule.victimization and rule.victimization not in codes:
            continue
        if rule.priority and rule.priority != case.priority:
            continue
        return rule
    return None


# Plans.


def _today(agency: Agency, now: datetime) -> date:
    return timezone.localtime(now, agency.tz).date()


def _pending_check_in(case: Case) -> FollowUp | None:
    return FollowUp.objects.filter(
        case=case, kind=FollowUpKind.CHECK_IN, done_at__isnull=True
    ).first()


def _place_check_in(
    actor: Actor, case: Case, *, n: int | None, due_at: datetime, pending: FollowUp | None
) -> FollowUp:
    """Move the case's pending check-in to `due_at`, or schedule one there."""
    if pending is not None:
        pending.due_at = due_at
        pending.sequence = n
        pending.save(update_fields=["due_at", "sequence"])
        return pending
    return FollowUp.objects.create(
        agency=case.agency,
        case=case,
        kind=FollowUpKind.CHECK_IN,
        due_at=due_at,
        sequence=n,
        created_by=actor.membership,
    )


PLAN_FIELDS = [
    "status",
    "source",
    "rule",
    "unit",
    "every",
    "time_of_day",
    "anchor_date",
    "updated_by",
    "updated_at",
]


# long: cadence checks, then the plan and its next check-in in one transaction
def plan_set(
    *,
    actor: Actor,
    case: Case,
    unit: str,
    every: int = 1,
    time_of_day: time | None = None,
    first_on: date | None = None,
    version: int | None = None,
) -> FollowUpPlan:
    """Set the case's check-in cadence on the case (it overrides the agency's rule) and
    schedule the next check-in: on `first_on` at `time_of_day` (the agency's default time when
    not given), or one step after today when no date is given. A pending check-in moves there.

    Refused without case.work, for another agency's case, on a closed case, for an unknown
    cadence, a step out of range, or a first date in the past; and when the plan was saved
    since `version` (StaleEdit, nothing written).
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    if not case.is_open:
        raise ValidationError(CLOSED)
    now = timezone.now()
    tz = case.agency.tz
    errors = _check_cadence(unit, every)
    today = _today(case.agency, now)
    if first_on is not None and first_on < today:
        errors["first_on"] = "The first check-in cannot be in the past."
    elif first_on is not None and first_on > today + HORIZON:
        errors["first_on"] = "Start within the next two years."
    if errors:
        raise ValidationError(errors)
    if unit == schedule.WEEKLY_THEN_MONTHLY:
        every = 1
    at = (time_of_day or followup_settings(case.agency).default_time).replace(
        second=0, microsecond=0
    )
    anchor, first = (today, 1) if first_on is None else (first_on, 0)
    cadence = schedule.Cadence(unit, every)
    n, due_at = schedule.next_occurrence(
        anchor, cadence, at, tz, after=now, first=first, open_weekdays=open_weekdays(case.agency)
    )
    with transaction.atomic():
        plan = FollowUpPlan.objects.select_for_update().filter(case=case).first()
        created = plan is None
        if plan is not None:
            check_version(plan, version)
        plan = plan or FollowUpPlan(agency=case.agency, case=case)
        plan.status = PlanStatus.ACTIVE
        plan.source = PlanSource.MANUAL
        plan.rule = None
        plan.unit, plan.every, plan.time_of_day, plan.anchor_date = unit, every, at, anchor
        plan.updated_by = actor.membership
        plan.updated_at = now
        if created:
            plan.save()
        else:
            save_versioned(plan, version=version, fields=PLAN_FIELDS)
        pending = _pending_check_in(case)
        check_in = _place_check_in(actor, case, n=n, due_at=due_at, pending=pending)
        events.follow_up(
            actor,
            case,
            f"Check-ins {plan.cadence_text} at {events.clock(at)}; "
            f"next on {events.when(case, due_at)}",
        )
        audit_record(
            actor=actor,
            action=AuditAction.FOLLOWUP_PLAN_SET,
            obj=plan,
            details={
                "case": case.pk,
                "created": created,
                "unit": unit,
                "every": every,
                "time": at.strftime("%H:%M"),
                "anchor": anchor.isoformat(),
                "check_in": check_in.pk,
                "moved": pending is not None,
            },
        )
    return plan


def plan_pause(*, actor: Actor, case: Case) -> FollowUpPlan:
    """Stop the case's regular check-ins for now; its pending check-in is canceled. Setting a
    cadence again starts them. Refused without case.work, for another agency's case, and when
    the case has no regular check-ins."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    now = timezone.now()
    with transaction.atomic():
        plan = FollowUpPlan.objects.select_for_update().filter(case=case).first()
        if plan is None or plan.status != PlanStatus.ACTIVE:
            raise ValidationError(gettext("This case has no regular check-ins to pause."))
        plan.status = PlanStatus.PAUSED
        plan.updated_by = actor.membership
        plan.updated_at = now
        plan.save(update_fields=["status", "updated_by", "updated_at"])
        canceled = _cancel_pending_check_in(actor, case, now)
        events.follow_up(actor, case, "Regular check-ins paused")
        audit_record(
            actor=actor,
            action=AuditAction.FOLLOWUP_PLAN_STOP,
            obj=plan,
            details={"case": case.pk, "status": plan.status, "canceled": canceled},
        )
    return plan


def _cancel_pending_check_in(actor: Actor, case: Case, now: datetime) -> list[int]:
    pending = list(
        FollowUp.objects.filter(
            case=case, kind=FollowUpKind.CHECK_IN, done_at__isnull=True
        ).values_list("pk", flat=True)
    )
    FollowUp.objects.filter(pk__in=pending, done_at__isnull=True).update(
        done_at=now, done_by=actor.membership, outcome=FollowUpOutcome.CANCELED
    )
    return pending


def activated_at(case: Case) -> datetime:
    """When the case first became active: its first move to active on the timeline, else its
    first contact, else its opening."""
    first = (
        CaseEvent.objects.filter(
            case=case, kind=CaseEventKind.STATUS_CHANGED, data__to=CaseStatus.ACTIVE.label
        )
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    return first or case.first_contact_at or case.created_at


# long: matches a rule and writes the plan and its first check-in in one transaction
def plan_start_by_rule(
    *, actor: Actor, case: Case, now: datetime | None = None, rules=None
) -> FollowUpPlan | None:
    """Give an active case that has no plan yet its plan, once: the cadence of the first
    matching rule, counted from the day the case became active, its first check-in one step
    after that day (or the next one still ahead), at the agency's default time. Without a
    matching rule the plan says so (no regular check-ins) and is not looked at again.

    Returns None when the case is not active or already has a plan (another worker may have
    just made it). A one-off check-in already pending is kept: the plan continues from it.
    Refused without case.work and for another agency's case.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    if case.status != CaseStatus.ACTIVE or FollowUpPlan.objects.filter(case=case).exists():
        return None
    now = now or timezone.now()
    rule = matching_rule(case, rules)
    settings = followup_settings(case.agency)
    anchor = _today(case.agency, activated_at(case))
    with transaction.atomic():
        try:
            with transaction.atomic():
                plan = FollowUpPlan.objects.create(
                    agency=case.agency,
                    case=case,
                    status=PlanStatus.ACTIVE if rule else PlanStatus.PAUSED,
                    source=PlanSource.RULE,
                    rule=rule,
                    unit=rule.unit if rule else "",
                    every=rule.every if rule else 1,
                    time_of_day=settings.default_time,
                    anchor_date=anchor,
                    updated_by=actor.membership,
                    updated_at=now,
                )
        except IntegrityError:
            return None  # made meanwhile by another worker
        check_in = None
        if rule is not None:
            pending = _pending_check_in(case)
            if pending is None:
                n, due_at = schedule.next_occurrence(
                    anchor,
                    rule.cadence,
                    plan.time_of_day,
                    case.agency.tz,
                    after=now,
                    first=1,
                    open_weekdays=open_weekdays(case.agency),
                )
                check_in = _place_check_in(actor, case, n=n, due_at=due_at, pending=None)
            events.follow_up(
                actor,
                case,
                f"Check-ins {plan.cadence_text} by the agency's rule “{rule.name}”"
                + (f"; first on {events.when(case, check_in.due_at)}" if check_in else ""),
            )
        audit_record(
            actor=actor,
            action=AuditAction.FOLLOWUP_PLAN_SET,
            obj=plan,
            details={
                "case": case.pk,
                "created": True,
                "rule": rule.pk if rule else None,
                "unit": plan.unit,
                "every": plan.every,
                "anchor": anchor.isoformat(),
                "check_in": check_in.pk if check_in else None,
            },
        )
    return plan


def plans_start_for_active_cases(
    *, agency: Agency, now: datetime | None = None, label: str = "follow-up rules"
) -> int:
    """The hourly sweep that applies the agency's rules to cases that became active since the
    last run (the cases app has no hook for the move; see docs/architecture.md). Runs inside
    the agency's scope; returns how many plans it made."""
    actor = Actor.system(agency, label)
    now = now or timezone.now()
    rules = list(FollowUpRule.objects.filter(agency=agency, is_active=True))
    cases = (
        Case.objects.filter(agency=agency, status=CaseStatus.ACTIVE, followup_plan__isnull=True)
        .select_related("agency")
        .prefetch_related("victimizations")
        .order_by("pk")[:BATCH]
    )
    made = 0
    for case in cases:
        if plan_start_by_rule(actor=actor, case=case, now=now, rules=rules) is not None:
            made += 1
    return made


def plans_stop_for_ended_cases(
    *, agency: Agency, now: datetime | None = None, label: str = "follow-up rules"
) -> int:
    """The hourly sweep that stops the plans of cases that ended (closed, declined, unable to
    contact) and cancels their pending check-ins; court appointments are left as they are.
    Until it runs, the selectors already leave ended cases out. Returns how many cases it
    stopped."""
    actor = Actor.system(agency, label)
    now = now or timezone.now()
    ended = Case.objects.filter(agency=agency).exclude(status__in=OPEN_STATUSES)
    case_ids = set(
        FollowUpPlan.objects.filter(
            agency=agency, case__in=ended, status__in=[PlanStatus.ACTIVE, PlanStatus.PAUSED]
        ).values_list("case_id", flat=True)[:BATCH]
    )
    case_ids |= set(
        FollowUp.objects.filter(
            agency=agency, case__in=ended, kind=FollowUpKind.CHECK_IN, done_at__isnull=True
        ).values_list("case_id", flat=True)[:BATCH]
    )
    stopped = 0
    for case in Case.objects.filter(pk__in=case_ids).select_related("agency").order_by("pk"):
        if plan_stop_for_ended_case(actor=actor, case=case, now=now):
            stopped += 1
    return stopped


def plan_stop_for_ended_case(*, actor: Actor, case: Case, now: datetime | None = None) -> bool:
    """Stop an ended case's plan and cancel its pending check-in (court appointments stay).
    Called by case_change_status as the case ends, and by the hourly sweep for anything it
    missed. Returns whether there was anything to stop."""
    now = now or timezone.now()
    with transaction.atomic():
        # Claimed with a conditional update: a second worker finds nothing left to stop.
        claimed = FollowUpPlan.objects.filter(
            case=case, status__in=[PlanStatus.ACTIVE, PlanStatus.PAUSED]
        ).update(status=PlanStatus.STOPPED, updated_at=now, updated_by=actor.membership)
        canceled = _cancel_pending_check_in(actor, case, now)
        if not claimed and not canceled:
            return False
        events.follow_up(actor, case, "Check-ins stopped: the case ended")
        audit_record(
            actor=actor,
            action=AuditAction.FOLLOWUP_PLAN_STOP,
            object_type="cases.case",
            object_id=case.pk,
            details={"case": case.pk, "status": PlanStatus.STOPPED, "canceled": canceled},
        )
    return True


# Follow-ups.


# long: one appointment's validation (kind, time, place, assignee) before one audited write
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
    label = FollowUpKind(kind).label
    with transaction.atomic():
        pending = None
        if kind == FollowUpKind.CHECK_IN:
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


def followup_reassign(*, actor: Actor, followup: FollowUp, assignee: Membership | None) -> FollowUp:
    """Give a pending follow-up to another specialist; None (or the case's own specialist)
    gives it back to whoever holds the case. Refused without case.assign (supervisors and
    coordinators), for another agency's follow-up, one already recorded, on a closed case, and
    for anyone but an active specialist of the agency."""
    if not actor.has(Perm.CASE_ASSIGN):
        raise PermissionDenied("Only a supervisor can reassign a follow-up.")
    actor.require_own(followup)
    case = followup.case
    if not case.is_open:
        raise ValidationError(CLOSED)
    if followup.done_at is not None:
        raise ValidationError(gettext("This follow-up was already recorded."))
    if assignee is not None and (
        assignee.agency_id != actor.agency.pk
        or not assignee.is_active
        or assignee.role not in CASEWORKER_ROLES
    ):
        raise ValidationError({"assignee": gettext("Choose an active specialist of this agency.")})
    if assignee is not None and assignee.pk == case.assigned_to_id:
        assignee = None
    with transaction.atomic():
        _followup_give(actor, followup, assignee, previous=followup.assignee_id)
    return followup


def _followup_give(
    actor: Actor, followup: FollowUp, assignee: Membership | None, *, previous, reason=None
) -> None:
    """Save the follow-up's new assignee (None: whoever holds the case), note it on the case's
    history and audit it; inside the caller's transaction."""
    case = followup.case
    followup.assignee = assignee
    followup.save(update_fields=["assignee"])
    holder = followup.specialist
    name = holder.display_name if holder else "nobody (the case is unassigned)"
    events.follow_up(
        actor,
        case,
        f"{in_english(followup.get_kind_display)} of {events.when(case, followup.due_at)} "
        f"now with {name}",
    )
    details = {"case": case.pk, "from": previous, "to": assignee.pk if assignee else None}
    if reason is not None:
        details["reason"] = reason
    audit_record(actor=actor, action=AuditAction.FOLLOWUP_REASSIGN, obj=followup, details=details)


def followups_hand_over(
    *, actor: Actor, member: Membership, to: Membership | None, reason: str = ""
) -> int:
    """A member leaves (accounts' deactivation calls this inside its transaction): the pending
    follow-ups a supervisor gave them by name go to `to`, or, with nobody chosen, back to
    whoever holds the case (the unassigned queue when the case went there too). Follow-ups
    without a named assignee go with their case already. Returns how many were handed over.

    Refused without case.assign, for another agency's member, and for a `to` who is not an
    active specialist of the agency. Each one is audited and noted on its case's history."""
    actor.require(Perm.CASE_ASSIGN)
    actor.require_own(member)
    if to is not None and (
        to.agency_id != actor.agency.pk or not to.is_active or to.role not in CASEWORKER_ROLES
    ):
        raise ValidationError({"cases_to": gettext("Choose an active specialist of this agency.")})
    moved = 0
    with transaction.atomic():
        for followup in FollowUp.objects.filter(
            agency=actor.agency, assignee=member, done_at__isnull=True
        ).select_related("case__assigned_to__user"):
            keep = to is None or to.pk == followup.case.assigned_to_id
            _followup_give(actor, followup, None if keep else to, previous=member.pk, reason=reason)
            moved += 1
    return moved
