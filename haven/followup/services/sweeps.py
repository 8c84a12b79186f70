"""The hourly sweeps: plans for cases that became active, and an end to the plans of cases
that ended."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from haven.agencies.models import Agency
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import OPEN_STATUSES, Case, CaseStatus
from haven.core.actor import Actor
from haven.followup import events
from haven.followup.models import FollowUp, FollowUpKind, FollowUpPlan, FollowUpRule, PlanStatus
from haven.followup.services.plans import _cancel_pending_check_in, plan_start_by_rule

# How many cases one run of the hourly task starts or stops plans for, per agency.
BATCH = 500


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
