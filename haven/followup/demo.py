"""Demo follow-up: the agency's check-in rules (weekly for high-danger cases, weekly then
monthly for domestic violence, every two weeks otherwise), applied to the active cases by the
same sweep the worker runs hourly, plus a couple of plans a specialist set by hand."""

from __future__ import annotations

from haven.cases.models import Case, CaseStatus
from haven.core.actor import Actor
from haven.core.demo import DemoContext
from haven.followup.models import CadenceUnit, FollowUpPlan
from haven.followup.services import (
    RuleData,
    followup_rule_save,
    plan_set,
    plans_start_for_active_cases,
)

RULES = (
    RuleData(name="High danger: weekly", unit=CadenceUnit.WEEKS, every=1, priority="high"),
    RuleData(
        name="Domestic violence: weekly, then monthly",
        unit=CadenceUnit.WEEKLY_THEN_MONTHLY,
        victimization="domestic_violence",
        position=1,
    ),
    RuleData(name="Everyone else: every two weeks", unit=CadenceUnit.WEEKS, every=2, position=2),
)
MANUAL = 2  # plans a specialist set by hand (every few days), besides the rules'


def followup_plans_seed(ctx: DemoContext) -> None:
    for rule in RULES:
        followup_rule_save(actor=ctx.actor, data=rule)
    plans_start_for_active_cases(agency=ctx.agency, label="manage.py demo")
    by_hand = (
        Case.objects.filter(agency=ctx.agency, status=CaseStatus.ACTIVE, assigned_to__isnull=False)
        .exclude(pk__in=FollowUpPlan.objects.values("case_id"))
        .select_related("agency", "assigned_to__user", "assigned_to__agency")
        .order_by("pk")
    )
    cases = list(by_hand[:50]) or list(
        Case.objects.filter(agency=ctx.agency, status=CaseStatus.ACTIVE, assigned_to__isnull=False)
        .select_related("agency", "assigned_to__user", "assigned_to__agency")
        .order_by("pk")[:50]
    )
    for case in ctx.rng.sample(cases, min(MANUAL, len(cases))):
        plan_set(
            actor=Actor.for_membership(case.assigned_to), case=case, unit=CadenceUnit.DAYS, every=3
        )
