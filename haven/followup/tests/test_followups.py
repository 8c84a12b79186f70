"""Scheduling, completing, skipping and reassigning check-ins and court appointments, and who
may: case.work on a case one may work; case.assign to reassign; nobody of another agency."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.cases.models import CaseEvent, CaseEventKind, CaseStatus
from haven.cases.services import case_assign, case_change_status, contact_log
from haven.cases.testing import make_case
from haven.followup.access import access_followup
from haven.followup.models import FollowUp, FollowUpKind, FollowUpOutcome
from haven.followup.services import (
    followup_complete,
    followup_reassign,
    followup_schedule,
    followup_skip,
    plan_set,
)
from haven.followup.tests.conftest import (
    NON_CASEWORKER_ROLES,
    at_local,
    local,
    pending_check_in,
    today,
)
from haven.lib.crypto import decrypt


def court(actor, case, days=5, **extra):
    fields = {"location": "Daley Center, courtroom 1704", "notes": "Order of protection hearing"}
    return followup_schedule(
        actor=actor,
        case=case,
        kind=FollowUpKind.COURT,
        due_at=timezone.now() + timedelta(days=days),
        **(fields | extra),
    )


def summaries(case) -> list[str]:
    return list(
        CaseEvent.objects.filter(case=case, kind=CaseEventKind.FOLLOW_UP)
        .order_by("id")
        .values_list("data__summary", flat=True)
    )


# Scheduling.


def test_a_court_appointment_is_scheduled_with_its_place_and_encrypted_notes(
    cast, alice, case, new_audit_events
):
    appointment = court(alice, case)

    row = FollowUp.objects.get(pk=appointment.pk)
    assert (row.kind, row.location, row.notes) == (
        "court",
        "Daley Center, courtroom 1704",
        "Order of protection hearing",
    )
    assert row.specialist == cast.advocate and row.created_by == cast.advocate
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM followup_followup WHERE id = %s", [row.pk])
        stored = cursor.fetchone()[0]
    assert "protection" not in stored and decrypt(stored) == "Order of protection hearing"
    [line] = summaries(case)
    assert line.startswith("Court accompaniment scheduled for ")
    assert "Daley" not in line and "protection" not in line
    [audit] = new_audit_events(action=AuditAction.FOLLOWUP_SCHEDULE)
    assert audit.details["kind"] == "court" and "Daley" not in str(audit.details)


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"location": ""}, "location"),
        # Offsets from the test's own now: a time computed here, at import, is another day's.
        ({"due_at": -timedelta(hours=1)}, "due_at"),
        ({"due_at": timedelta(days=800)}, "due_at"),
        ({"kind": "party"}, "kind"),
        ({"location": "x" * 201}, "location"),
    ],
)
def test_a_bad_appointment_is_refused_naming_the_field(cast, alice, case, fields, error_field):
    values = {
        "kind": FollowUpKind.COURT,
        "due_at": timezone.now() + timedelta(days=2),
        "location": "Branch 48",
    } | fields
    if isinstance(values["due_at"], timedelta):
        values["due_at"] = timezone.now() + values["due_at"]
    with pytest.raises(ValidationError) as caught:
        followup_schedule(actor=alice, case=case, **values)
    assert error_field in caught.value.message_dict
    assert not FollowUp.objects.exists()


def test_scheduling_a_check_in_moves_the_pending_one_and_keeps_its_place_on_the_grid(
    cast, alice, case
):
    plan_set(actor=alice, case=case, unit="weeks", first_on=today(cast.agency_a) + timedelta(1))
    planned = pending_check_in(case)
    new_time = timezone.now() + timedelta(days=2, hours=1)
    moved = followup_schedule(actor=alice, case=case, kind=FollowUpKind.CHECK_IN, due_at=new_time)

    assert moved.pk == planned.pk and FollowUp.objects.count() == 1
    moved.refresh_from_db()
    assert moved.due_at == new_time
    assert moved.sequence == 0
    assert summaries(case)[-1].startswith("Check-in moved to ")


# Completing schedules the next, from the planned date.


def test_completing_a_late_check_in_schedules_the_next_from_the_planned_date(
    cast, alice, case, overdue_plan, new_audit_events
):
    plan, check_in = overdue_plan()  # weekly from 9 days ago: this one was due 2 days ago
    done, following = followup_complete(actor=alice, followup=check_in)

    done.refresh_from_db()
    assert (done.outcome, done.done_by) == (FollowUpOutcome.DONE, cast.advocate)
    # Two weeks after the anchor (five days from now), not a week from today.
    assert following.sequence == 2
    assert following.due_at == at_local(cast.agency_a, plan.anchor_date + timedelta(weeks=2))
    assert local(cast.agency_a, following.due_at).time() == time(10)
    assert pending_check_in(case) == following
    assert "; next on " in summaries(case)[-1]
    assert summaries(case)[-1].startswith("Check-in done (planned ")
    [audit] = new_audit_events(action=AuditAction.FOLLOWUP_COMPLETE)
    assert audit.details == {
        "case": case.pk,
        "kind": "check_in",
        "outcome": "done",
        "contact": None,
        "next": following.pk,
    }


def test_a_check_in_done_weeks_late_skips_the_dates_already_past(cast, alice, case, overdue_plan):
    plan, check_in = overdue_plan(anchor_days_ago=30)  # due 23 days ago
    _done, following = followup_complete(actor=alice, followup=check_in)

    # The grid's next date still ahead: 35 days after the anchor (five days from now).
    assert following.sequence == 5
    assert following.due_at == at_local(cast.agency_a, plan.anchor_date + timedelta(weeks=5))


def test_completing_a_check_in_early_keeps_the_next_on_its_own_date(cast, alice, case):
    start = today(cast.agency_a) + timedelta(days=4)
    plan_set(actor=alice, case=case, unit="weeks", every=2, first_on=start)
    _done, following = followup_complete(actor=alice, followup=pending_check_in(case))

    assert following.due_at == at_local(cast.agency_a, start + timedelta(weeks=2))


def test_a_check_in_can_link_the_contact_it_was(cast, alice, case):
    plan_set(actor=alice, case=case, unit="weeks")
    contact = contact_log(
        actor=alice,
        case=case,
        outcome="completed",
        channel="phone",
        direction="outbound",
        occurred_at=timezone.now(),
    )
    done, _ = followup_complete(
        actor=alice,
        followup=pending_check_in(case),
        outcome=FollowUpOutcome.NOT_REACHED,
        contact=contact,
    )
    done.refresh_from_db()
    assert (done.contact, done.outcome) == (contact, "not_reached")
    assert "tried, did not reach them" in summaries(case)[-1]


def test_a_contact_of_another_case_is_refused(cast, alice, case):
    other = make_case(alice, first_name="Ola", last_name="Other", assignee=cast.advocate)
    contact = contact_log(
        actor=alice,
        case=other,
        outcome="completed",
        channel="phone",
        direction="outbound",
        occurred_at=timezone.now(),
    )
    plan_set(actor=alice, case=case, unit="weeks")
    with pytest.raises(ValidationError) as caught:
        followup_complete(actor=alice, followup=pending_check_in(case), contact=contact)
    assert "contact" in caught.value.message_dict
    assert pending_check_in(case).done_at is None


def test_a_follow_up_is_recorded_once(cast, alice, bob, case):
    appointment = court(alice, case)
    stale = FollowUp.objects.get(pk=appointment.pk)
    followup_complete(actor=alice, followup=appointment)
    with pytest.raises(ValidationError, match="already"):
        followup_complete(actor=bob, followup=stale)
    assert FollowUp.objects.get(pk=appointment.pk).done_by == cast.advocate


def test_a_court_appointment_done_schedules_nothing(cast, alice, case):
    plan_set(actor=alice, case=case, unit="weeks")
    _done, following = followup_complete(actor=alice, followup=court(alice, case))
    assert following is None
    assert FollowUp.objects.filter(case=case, done_at__isnull=True).count() == 1  # the check-in


def test_a_one_off_check_in_without_a_plan_schedules_nothing_after_it(cast, alice, case):
    one_off = followup_schedule(
        actor=alice,
        case=case,
        kind=FollowUpKind.CHECK_IN,
        due_at=timezone.now() + timedelta(hours=3),
    )
    _done, following = followup_complete(actor=alice, followup=one_off)
    assert following is None and pending_check_in(case) is None


# Skipping.


def test_skipping_a_check_in_schedules_the_next_as_usual(cast, alice, case, overdue_plan):
    plan, check_in = overdue_plan()
    skipped, following = followup_skip(actor=alice, followup=check_in, reason="On vacation")

    skipped.refresh_from_db()
    assert skipped.outcome == FollowUpOutcome.SKIPPED
    assert following.due_at == at_local(cast.agency_a, plan.anchor_date + timedelta(weeks=2))
    assert "skipped; next on" in summaries(case)[-1]


def test_skipping_a_court_appointment_cancels_it(cast, alice, case, new_audit_events):
    appointment = court(alice, case)
    canceled, following = followup_skip(actor=alice, followup=appointment, reason="Continued")

    assert following is None
    assert FollowUp.objects.get(pk=canceled.pk).outcome == FollowUpOutcome.CANCELED
    assert summaries(case)[-1].endswith("canceled")
    [audit] = new_audit_events(action=AuditAction.FOLLOWUP_SKIP)
    assert audit.reason == "Continued"


# Reassigning.


def test_a_supervisor_reassigns_a_follow_up_and_back_to_the_case(
    cast, sam, alice, case, new_audit_events
):
    appointment = court(alice, case)
    followup_reassign(actor=sam, followup=appointment, assignee=cast.advocate2)

    appointment.refresh_from_db()
    assert appointment.assignee == cast.advocate2 and appointment.specialist == cast.advocate2
    assert summaries(case)[-1].endswith("now with Bob Burke")
    [audit] = new_audit_events(action=AuditAction.FOLLOWUP_REASSIGN)
    assert audit.details == {"case": case.pk, "from": None, "to": cast.advocate2.pk}

    followup_reassign(actor=sam, followup=appointment, assignee=cast.advocate)
    appointment.refresh_from_db()
    assert appointment.assignee is None  # the case's own specialist: it follows the case again


def test_a_follow_up_goes_with_the_case_when_the_case_is_reassigned(cast, sam, alice, case):
    appointment = court(alice, case)
    case_assign(actor=sam, case=case, assignee=cast.advocate2, reason="Balance")
    appointment = FollowUp.objects.select_related("case__assigned_to").get(pk=appointment.pk)
    assert appointment.specialist == cast.advocate2


def test_an_advocate_may_not_reassign_a_follow_up(cast, alice, case):
    appointment = court(alice, case)
    with pytest.raises(PermissionDenied):
        followup_reassign(actor=alice, followup=appointment, assignee=cast.advocate2)
    assert FollowUp.objects.get(pk=appointment.pk).assignee is None


@pytest.mark.parametrize("who", ["officer", "other_advocate"])
def test_only_an_active_specialist_of_the_agency_can_be_given_a_follow_up(cast, sam, case, who):
    appointment = court(cast.actor("advocate"), case)
    with pytest.raises(ValidationError) as caught:
        followup_reassign(actor=sam, followup=appointment, assignee=getattr(cast, who))
    assert "assignee" in caught.value.message_dict
    assert FollowUp.objects.get(pk=appointment.pk).assignee is None


# Who may.


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_roles_that_do_not_work_cases_may_not_schedule_complete_or_skip(cast, alice, case, role):
    appointment = court(alice, case)
    actor = cast.actor(role)
    with pytest.raises(PermissionDenied):
        court(actor, case)
    with pytest.raises(PermissionDenied):
        followup_complete(actor=actor, followup=appointment)
    with pytest.raises(PermissionDenied):
        followup_skip(actor=actor, followup=appointment)
    with pytest.raises(PermissionDenied):
        followup_reassign(actor=actor, followup=appointment, assignee=cast.advocate2)
    with pytest.raises((Http404, PermissionDenied)):
        access_followup(actor, appointment.pk)
    assert FollowUp.objects.get(pk=appointment.pk).done_at is None
    assert FollowUp.objects.count() == 1


def test_another_agencys_follow_up_is_not_found_and_not_changed(cast, alice, charlie):
    case_change_status(actor=charlie, case=cast.case_b, status=CaseStatus.ACTIVE)
    theirs = court(charlie, cast.case_b, location="Lakeside County Courthouse")
    with pytest.raises(Http404):
        access_followup(alice, theirs.pk)
    with pytest.raises(PermissionDenied):
        followup_complete(actor=alice, followup=theirs)
    with pytest.raises(PermissionDenied):
        court(alice, cast.case_b)
    assert FollowUp.objects.get(pk=theirs.pk).done_at is None


def test_a_colleagues_follow_up_is_hidden_when_the_agency_narrows_advocates_to_their_own(
    cast, alice, bob, case
):
    appointment = court(alice, case)
    cast.agency_a.advocates_see_own_caseload_only = True
    cast.agency_a.save(update_fields=["advocates_see_own_caseload_only"])
    bob = cast.actor("advocate2")
    with pytest.raises(Http404):
        access_followup(bob, appointment.pk)
    assert access_followup(alice, appointment.pk, write=True) == appointment


def test_nothing_is_scheduled_or_recorded_on_an_ended_case(cast, alice, sam, case):
    appointment = court(alice, case)
    case_change_status(actor=sam, case=case, status=CaseStatus.CLOSED, reason="Goals met")
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        court(alice, case)
    appointment = FollowUp.objects.select_related("case").get(pk=appointment.pk)
    with pytest.raises(ValidationError, match="closed"):
        followup_complete(actor=alice, followup=appointment)
    assert FollowUp.objects.get(pk=appointment.pk).done_at is None
