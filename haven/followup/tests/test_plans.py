"""A case's check-in plan: set on the case, made by the agency's rule when the case first
becomes active, paused, and stopped when the case ends."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haven.agencies.models import ServiceHours
from haven.audit.models import AuditAction
from haven.audit.selectors import verify_chain
from haven.cases.models import CaseEvent, CaseEventKind, CaseStatus, Priority
from haven.cases.services import case_change_status
from haven.cases.testing import make_case
from haven.followup.models import (
    FollowUp,
    FollowUpKind,
    FollowUpOutcome,
    FollowUpPlan,
    FollowUpRule,
    FollowUpSettings,
    PlanSource,
    PlanStatus,
)
from haven.followup.services import (
    followup_schedule,
    plan_pause,
    plan_set,
    plan_start_by_rule,
    plans_start_for_active_cases,
    plans_stop_for_ended_cases,
)
from haven.followup.tests.conftest import (
    NON_CASEWORKER_ROLES,
    at_local,
    local,
    pending_check_in,
    today,
)


def timeline(case) -> list[str]:
    return [
        e.data["summary"]
        for e in CaseEvent.objects.filter(case=case, kind=CaseEventKind.FOLLOW_UP).order_by("id")
    ]


def rule(cast, name="Domestic violence", **fields) -> FollowUpRule:
    values = {"victimization": "domestic_violence", "unit": "weeks", "every": 1} | fields
    return FollowUpRule.objects.create(agency=cast.agency_a, name=name, **values)


# Set on the case.


def test_a_specialist_sets_a_weekly_cadence_and_the_first_check_in_is_scheduled(
    cast, alice, case, new_audit_events
):
    first = today(cast.agency_a) + timedelta(days=3)
    plan = plan_set(
        actor=alice, case=case, unit="weeks", every=1, time_of_day=time(9, 30), first_on=first
    )

    plan = FollowUpPlan.objects.get(pk=plan.pk)
    assert (plan.status, plan.source, plan.unit, plan.every) == ("active", "manual", "weeks", 1)
    assert (plan.anchor_date, plan.time_of_day, plan.rule) == (first, time(9, 30), None)
    check_in = pending_check_in(case)
    assert check_in.due_at == at_local(cast.agency_a, first, 9, 30)
    assert (check_in.sequence, check_in.assignee, check_in.created_by) == (0, None, cast.advocate)
    assert check_in.specialist == cast.advocate  # goes with the case
    [line] = timeline(case)
    assert line.startswith("Check-ins every week at 9:30 AM; next on ")
    [audit] = new_audit_events(action=AuditAction.FOLLOWUP_PLAN_SET)
    assert audit.object_id == str(plan.pk)
    assert audit.details["case"] == case.pk and audit.details["check_in"] == check_in.pk
    assert verify_chain(str(cast.agency_a.pk))[1] is None


def test_without_a_first_date_the_first_check_in_is_one_step_from_today_at_the_default_time(
    cast, alice, case
):
    FollowUpSettings.objects.create(agency=cast.agency_a, default_time=time(14, 0))
    plan_set(actor=alice, case=case, unit="days", every=3)

    expected = at_local(cast.agency_a, today(cast.agency_a) + timedelta(days=3), 14)
    assert pending_check_in(case).due_at == expected
    assert FollowUpPlan.objects.get(case=case).time_of_day == time(14, 0)


def test_setting_the_cadence_again_moves_the_pending_check_in_instead_of_adding_one(
    cast, alice, case
):
    plan_set(actor=alice, case=case, unit="weeks", first_on=today(cast.agency_a) + timedelta(1))
    first = pending_check_in(case)
    plan_set(actor=alice, case=case, unit="months", first_on=today(cast.agency_a) + timedelta(5))

    assert FollowUp.objects.filter(case=case).count() == 1
    moved = pending_check_in(case)
    assert moved.pk == first.pk
    assert moved.due_at == at_local(cast.agency_a, today(cast.agency_a) + timedelta(5))
    assert FollowUpPlan.objects.get(case=case).unit == "months"


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"unit": "fortnights"}, "unit"),
        ({"unit": "days", "every": 0}, "every"),
        ({"unit": "days", "every": 91}, "every"),
        ({"unit": "months", "every": 13}, "every"),
        ({"unit": "weeks", "first_on": "yesterday"}, "first_on"),
    ],
)
def test_a_bad_cadence_is_refused_naming_the_field_and_nothing_is_saved(
    cast, alice, case, fields, error_field
):
    if fields.get("first_on") == "yesterday":
        fields["first_on"] = today(cast.agency_a) - timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        plan_set(actor=alice, case=case, **fields)
    assert error_field in caught.value.message_dict
    assert not FollowUpPlan.objects.exists() and not FollowUp.objects.exists()


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_roles_that_do_not_work_cases_may_not_set_a_cadence(cast, case, role):
    with pytest.raises(PermissionDenied):
        plan_set(actor=cast.actor(role), case=case, unit="weeks")
    assert not FollowUpPlan.objects.exists()


def test_another_agencys_member_may_not_set_a_cadence(cast, charlie, case):
    with pytest.raises(PermissionDenied):
        plan_set(actor=charlie, case=case, unit="weeks")
    assert not FollowUpPlan.objects.exists()


def test_a_closed_case_gets_no_cadence(cast, alice, sam, case):
    case_change_status(actor=sam, case=case, status=CaseStatus.CLOSED, reason="Goals met")
    with pytest.raises(ValidationError, match="closed"):
        plan_set(actor=alice, case=case, unit="weeks")
    assert not FollowUpPlan.objects.exists()


def test_pausing_cancels_the_pending_check_in_and_stops_scheduling(
    cast, alice, case, new_audit_events
):
    plan_set(actor=alice, case=case, unit="weeks")
    check_in = pending_check_in(case)
    plan_pause(actor=alice, case=case)

    check_in.refresh_from_db()
    assert check_in.outcome == FollowUpOutcome.CANCELED and check_in.done_by == cast.advocate
    assert FollowUpPlan.objects.get(case=case).status == PlanStatus.PAUSED
    assert pending_check_in(case) is None
    assert timeline(case)[-1] == "Regular check-ins paused"
    [audit] = new_audit_events(action=AuditAction.FOLLOWUP_PLAN_STOP)
    assert audit.details == {"case": case.pk, "status": "paused", "canceled": [check_in.pk]}
    with pytest.raises(ValidationError):
        plan_pause(actor=alice, case=case)


# Made by the agency's rule.


def test_the_first_matching_rule_sets_the_plan_when_the_case_first_becomes_active(
    cast, case, new_audit_events
):
    rule(cast, name="Any high", victimization="", priority=Priority.HIGH, position=0)
    dv = rule(cast, unit="weekly_then_monthly", position=1)
    rule(cast, name="Any", victimization="", unit="months", position=2)

    made = plans_start_for_active_cases(agency=cast.agency_a)

    assert made == 1
    plan = FollowUpPlan.objects.get(case=case)
    assert (plan.source, plan.rule, plan.unit, plan.status) == ("rule", dv, dv.unit, "active")
    # Counted from the day the case became active; the first check-in a week after it.
    became_active = local(cast.agency_a, timezone.now()).date()
    assert plan.anchor_date == became_active
    check_in = pending_check_in(case)
    assert check_in.due_at == at_local(cast.agency_a, became_active + timedelta(weeks=1))
    assert check_in.sequence == 1
    [line] = timeline(case)
    assert line.startswith(
        "Check-ins weekly for the first month, then monthly by the agency's rule "
        "“Domestic violence”; first on "
    )
    [audit] = new_audit_events(action=AuditAction.FOLLOWUP_PLAN_SET)
    assert audit.role == "system" and audit.details["rule"] == dv.pk


def test_a_rule_is_applied_once_and_a_case_without_a_match_is_marked_so(cast, alice, case):
    rule(cast, victimization="stalking")
    assert plans_start_for_active_cases(agency=cast.agency_a) == 1
    plan = FollowUpPlan.objects.get(case=case)
    assert (plan.status, plan.rule, plan.unit) == (PlanStatus.PAUSED, None, "")
    assert not FollowUp.objects.exists()

    rule(cast, name="DV", victimization="domestic_violence")
    assert plans_start_for_active_cases(agency=cast.agency_a) == 0
    assert FollowUpPlan.objects.get(case=case).status == PlanStatus.PAUSED


def test_new_cases_and_cases_that_already_have_a_plan_are_left_alone(cast, alice, case):
    rule(cast)
    plan_set(actor=alice, case=case, unit="days", every=2)
    waiting = make_case(alice, first_name="Nia", last_name="New", assignee=cast.advocate)

    assert plans_start_for_active_cases(agency=cast.agency_a) == 0
    assert FollowUpPlan.objects.get(case=case).source == PlanSource.MANUAL
    assert not FollowUpPlan.objects.filter(case=waiting).exists()
    assert plan_start_by_rule(actor=alice, case=case) is None


def test_a_rule_keeps_a_one_off_check_in_already_pending(cast, alice, case):
    rule(cast)
    due = timezone.now() + timedelta(days=2)
    one_off = followup_schedule(actor=alice, case=case, kind=FollowUpKind.CHECK_IN, due_at=due)
    plan = plan_start_by_rule(actor=alice, case=case)

    assert plan.status == PlanStatus.ACTIVE
    assert list(FollowUp.objects.filter(case=case)) == [one_off]
    assert pending_check_in(case).due_at == due


def test_the_rule_sweep_only_touches_its_own_agency(cast, charlie):
    rule(cast)
    case_change_status(actor=charlie, case=cast.case_b, status=CaseStatus.ACTIVE)
    assert plans_start_for_active_cases(agency=cast.agency_a) == 0
    assert not FollowUpPlan.objects.filter(case=cast.case_b).exists()


def test_business_days_follow_the_agencys_service_hours(cast, alice, case, clock):
    """A check-in due on a day the unit is closed moves to the next day it is open."""
    FollowUpSettings.objects.create(agency=cast.agency_a, skip_closed_days=True)
    for weekday in (1, 3):  # open Tuesdays and Thursdays only
        ServiceHours.objects.create(
            agency=cast.agency_a, weekday=weekday, opens=time(9), closes=time(17)
        )
    # Set on a Friday: the daily check-in due on Saturday waits for Tuesday.
    clock.move_to(datetime(2026, 12, 4, 15, 0, tzinfo=cast.agency_a.tz))
    plan_set(actor=alice, case=case, unit="days", every=1)

    due = local(cast.agency_a, pending_check_in(case).due_at)
    assert due == at_local(cast.agency_a, date(2026, 12, 8), 10, 0)
    assert due.weekday() == 1


# Stopped when the case ends.


def test_ending_the_case_stops_the_plan_and_cancels_its_check_in(
    cast, alice, sam, case, new_audit_events
):
    plan_set(actor=alice, case=case, unit="weeks")
    court = followup_schedule(
        actor=alice,
        case=case,
        kind=FollowUpKind.COURT,
        due_at=timezone.now() + timedelta(days=9),
        location="Branch 48",
    )
    check_in = pending_check_in(case)
    case_change_status(actor=sam, case=case, status=CaseStatus.CLOSED, reason="Goals met")

    assert plans_stop_for_ended_cases(agency=cast.agency_a) == 1

    assert FollowUpPlan.objects.get(case=case).status == PlanStatus.STOPPED
    check_in.refresh_from_db()
    assert check_in.outcome == FollowUpOutcome.CANCELED and check_in.done_at is not None
    court.refresh_from_db()
    assert court.done_at is None  # left as it is; the lists leave ended cases out
    assert timeline(case)[-1] == "Check-ins stopped: the case ended"
    [audit] = new_audit_events(action=AuditAction.FOLLOWUP_PLAN_STOP)
    assert audit.role == "system" and audit.details["canceled"] == [check_in.pk]
    # Once is enough: a second sweep finds nothing to do.
    assert plans_stop_for_ended_cases(agency=cast.agency_a) == 0


def test_a_reopened_case_starts_check_ins_again_when_a_cadence_is_set(cast, alice, sam, case):
    plan_set(actor=alice, case=case, unit="weeks")
    case_change_status(actor=sam, case=case, status=CaseStatus.CLOSED, reason="Goals met")
    plans_stop_for_ended_cases(agency=cast.agency_a)
    case_change_status(actor=sam, case=case, status=CaseStatus.ACTIVE, reason="Called again")
    assert plans_start_for_active_cases(agency=cast.agency_a) == 0  # the plan is not remade

    plan_set(actor=alice, case=case, unit="weeks")
    assert FollowUpPlan.objects.get(case=case).status == PlanStatus.ACTIVE
    assert pending_check_in(case) is not None
