"""A case's plan of regular check-ins: set by hand, paused, or started by the agency's rule.
A plan has at most one pending check-in (placed here), on the plan's grid (schedule.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.models import Agency
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, CaseEvent, CaseEventKind, CaseStatus
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.followup import events, schedule
from haven.followup.models import (
    FollowUp,
    FollowUpKind,
    FollowUpOutcome,
    FollowUpPlan,
    FollowUpRule,
    PlanSource,
    PlanStatus,
)
from haven.followup.services.agency_settings import followup_settings, open_weekdays
from haven.followup.services.rules import _check_cadence, matching_rule

# How far ahead a follow-up may be scheduled.
HORIZON = timedelta(days=2 * 366)
CLOSED = "This case is closed. Reopen it to schedule follow-ups."


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
    today = _today(case.agency, now)
    every = _check_plan(unit, every, first_on, today)
    at = time_of_day or followup_settings(case.agency).default_time
    at = at.replace(second=0, microsecond=0)
    anchor, first = (today, 1) if first_on is None else (first_on, 0)
    cadence, tz = schedule.Cadence(unit, every), case.agency.tz
    n, due_at = schedule.next_occurrence(
        anchor, cadence, at, tz, after=now, first=first, open_weekdays=open_weekdays(case.agency)
    )
    with transaction.atomic():
        plan, created = _save_manual_plan(
            actor, case, version, unit=unit, every=every, at=at, anchor=anchor, now=now
        )
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


def _check_plan(unit: str, every: int, first_on: date | None, today: date) -> int:
    """Refuse an unknown cadence, a step out of range, a first date past or too far ahead;
    the step to keep (1 for weekly-then-monthly)."""
    errors = _check_cadence(unit, every)
    if first_on is not None and first_on < today:
        errors["first_on"] = "The first check-in cannot be in the past."
    elif first_on is not None and first_on > today + HORIZON:
        errors["first_on"] = "Start within the next two years."
    if errors:
        raise ValidationError(errors)
    return 1 if unit == schedule.WEEKLY_THEN_MONTHLY else every


def _save_manual_plan(
    actor: Actor,
    case: Case,
    version: int | None,
    *,
    unit: str,
    every: int,
    at: time,
    anchor: date,
    now: datetime,
) -> tuple[FollowUpPlan, bool]:
    """The case's plan, made or changed to this cadence by hand (locked, and refused when saved
    since `version`); whether it was made now."""
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
    return plan, created


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
        check_in = None if rule is None else _first_by_rule(actor, case, plan, rule, now)
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


def _first_by_rule(
    actor: Actor, case: Case, plan: FollowUpPlan, rule: FollowUpRule, now: datetime
) -> FollowUp | None:
    """The first check-in of a plan a rule just started, one step after its anchor day (none
    when a one-off check-in is pending: the plan continues from it), and the timeline line."""
    check_in = None
    if _pending_check_in(case) is None:
        n, due_at = schedule.next_occurrence(
            plan.anchor_date,
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
    return check_in
