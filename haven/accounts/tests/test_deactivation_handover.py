"""Deactivation hands the leaver's work over: on-call shifts and weekly slots (oncall), the
follow-ups given to them by name (followup), and says on the page and in the mail what moved.
All on the frozen clock: Wednesday 2 December 2026, 10:00 in Chicago."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from haven.accounts.services import member_deactivate
from haven.audit.models import AuditAction
from haven.followup.models import FollowUp, FollowUpKind
from haven.followup.services import followups_hand_over
from haven.oncall.models import OnCallPattern, OnCallShift
from haven.oncall.services import roster_hand_over


def just_after(moment, start):
    """The clock ticks: `moment` is `start` or a little after (the test's own run time)."""
    return start <= moment < start + timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _on_the_known_wednesday(clock):
    return clock


@pytest.fixture
def at(cast):
    """at(day, hour): an aware instant in December 2026 in agency A's zone."""
    return lambda day, hour: datetime(2026, 12, day, hour, 0, tzinfo=cast.agency_a.tz)


@pytest.fixture
def alices_roster(cast, at):
    """Alice: a shift that ended yesterday, one under way (08:00-18:00 today), one next week,
    and a Saturday slot of the weekly pattern; Bob has Sunday."""
    a = cast.agency_a
    return {
        "past": OnCallShift.objects.create(
            agency=a, member=cast.advocate, starts_at=at(1, 8), ends_at=at(1, 18)
        ),
        "now": OnCallShift.objects.create(
            agency=a, member=cast.advocate, starts_at=at(2, 8), ends_at=at(2, 18), note="cover"
        ),
        "next": OnCallShift.objects.create(
            agency=a, member=cast.advocate, starts_at=at(9, 8), ends_at=at(9, 18)
        ),
        "slot": OnCallPattern.objects.create(
            agency=a, member=cast.advocate, weekday=5, starts=time(8), ends=time(20)
        ),
        "bobs": OnCallPattern.objects.create(
            agency=a, member=cast.advocate2, weekday=6, starts=time(8), ends=time(20)
        ),
    }


@pytest.fixture
def court_date(cast, at):
    """A court accompaniment a supervisor gave Alice by name, on Alice's case, next week."""
    return FollowUp.objects.create(
        agency=cast.agency_a,
        case=cast.case_a,
        kind=FollowUpKind.COURT,
        due_at=at(10, 9),
        assignee=cast.advocate,
        location="Courtroom 4B",
    )


def test_a_colleague_takes_the_shifts_slots_and_follow_ups(
    cast, cora, at, alices_roster, court_date, new_audit_events
):
    bob = cast.advocate2

    departure = member_deactivate(actor=cora, member=cast.advocate, cases_to=bob)

    past, now, nxt = (
        OnCallShift.objects.get(pk=alices_roster[k].pk) for k in ("past", "now", "next")
    )
    assert past.member == cast.advocate and past.ends_at == at(1, 18)  # history stays hers
    assert now.member == cast.advocate and just_after(now.ends_at, at(2, 10))  # cut at handover
    rest = OnCallShift.objects.get(member=bob, ends_at=at(2, 18))
    assert rest.starts_at == now.ends_at and rest.note == "cover"
    assert nxt.member == bob
    assert OnCallPattern.objects.get(pk=alices_roster["slot"].pk).member == bob
    court_date.refresh_from_db()
    # The case went to Bob too, so the follow-up simply goes with the case.
    assert court_date.assignee is None and court_date.specialist == bob
    assert (departure.cases, departure.followups) == (1, 1)
    assert (departure.shifts_moved, departure.slots_moved, departure.shifts_dropped) == (2, 1, 0)
    details = new_audit_events(action=AuditAction.MEMBER_DEACTIVATE)[0].details
    assert details["shifts_moved"] == 2 and details["followups_moved"] == 1
    assert len(new_audit_events(action=AuditAction.FOLLOWUP_REASSIGN)) == 1
    assert len(new_audit_events(action=AuditAction.ONCALL_PATTERN_CHANGE)) == 1


def test_a_follow_up_on_someone_elses_case_goes_to_the_colleague(cast, cora, court_date):
    # The case is Bob's; a supervisor gave its court date to Alice. She leaves with nobody
    # chosen: the court date goes back to the case's holder, not to the queue.
    from haven.cases.models import Case

    Case.objects.filter(pk=cast.case_a.pk).update(assigned_to=cast.advocate2)

    member_deactivate(actor=cora, member=cast.advocate)

    court_date.refresh_from_db()
    assert court_date.assignee is None and court_date.specialist == cast.advocate2


def test_with_nobody_chosen_the_shifts_come_off_the_roster_for_the_supervisors(
    cast, cora, at, alices_roster, court_date, django_capture_on_commit_callbacks
):
    cast.supervisor.user.email = "sam@riverside.gov"
    cast.supervisor.user.save()

    with django_capture_on_commit_callbacks(execute=True):
        departure = member_deactivate(actor=cora, member=cast.advocate)

    assert not OnCallShift.objects.filter(pk=alices_roster["next"].pk).exists()
    assert just_after(OnCallShift.objects.get(pk=alices_roster["now"].pk).ends_at, at(2, 10))
    assert OnCallShift.objects.get(pk=alices_roster["past"].pk).ends_at == at(1, 18)
    assert not OnCallShift.objects.filter(ends_at__gt=at(2, 10) + timedelta(minutes=1)).exists()
    assert not OnCallPattern.objects.filter(member=cast.advocate).exists()
    assert OnCallPattern.objects.get(pk=alices_roster["bobs"].pk).member == cast.advocate2
    court_date.refresh_from_db()
    assert court_date.assignee is None and court_date.specialist is None  # case is queued
    assert (departure.shifts_dropped, departure.slots_dropped) == (2, 1)
    body = mail.outbox[-1].body
    assert "2 on-call shift(s) and 1 weekly slot(s) came off the roster" in body
    assert "a supervisor must fill them" in body and "unassigned queue" in body


def test_the_page_says_what_moved(cast, client_as, alices_roster, court_date):
    client = client_as("coordinator")

    response = client.post(
        reverse("accounts:member_deactivate", args=[cast.advocate.pk]),
        {"cases_to": cast.advocate2.pk},
        follow=True,
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Alice Avery is deactivated and signed out everywhere." in body
    assert "1 open case(s) went to Bob Burke." in body
    assert "1 pending follow-up(s) went to Bob Burke." in body
    assert "2 on-call shift(s) and 1 weekly slot(s) went to Bob Burke." in body
    assert OnCallShift.objects.filter(member=cast.advocate2).count() == 2


def test_someone_who_leaves_with_nothing_is_said_so(cast, cora):
    departure = member_deactivate(actor=cora, member=cast.analyst)

    assert departure.sentences() == ["They had no open cases, follow-ups or on-call shifts."]


def test_the_handovers_refuse_another_agencys_member_and_the_wrong_roles(
    cast, cora, alice, alices_roster
):
    charlie = cast.other_advocate
    with pytest.raises(PermissionDenied):
        roster_hand_over(actor=cora, member=charlie, to=None)
    with pytest.raises(PermissionDenied):
        followups_hand_over(actor=cora, member=charlie, to=None)
    with pytest.raises(PermissionDenied):
        roster_hand_over(actor=alice, member=cast.advocate2, to=None)  # no case.assign
    assert OnCallShift.objects.filter(member=cast.advocate).count() == 3
    assert OnCallPattern.objects.filter(member=cast.advocate).count() == 1
