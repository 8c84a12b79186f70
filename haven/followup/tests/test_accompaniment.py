"""Accompaniment tied to the docket: a court accompaniment follows its court event (moved with
it, flagged when the new time clashes, cancelled with it), and accompaniments to a forensic
exam or a detective's interview are appointments of their own kind, counted in the PMT report.
The clock is frozen: every assertion is about exact times."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from haven.assistance.services import service_provide
from haven.cases.models import CaseEvent
from haven.followup.models import FollowUp, FollowUpKind, FollowUpOutcome
from haven.followup.services import followup_complete, followup_schedule
from haven.justice import services as justice
from haven.reports.pmt import Quarter, pmt_report

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=CHICAGO)
HEARING = datetime(2026, 12, 9, 9, 30, tzinfo=CHICAGO)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def hearing(cast, alice, case):
    court_case = justice.court_case_save(
        actor=alice,
        case=case,
        court="Circuit Court of Cook County",
        number="26CR0001",
        defendant_name="Victor Vance",
    )
    return justice.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="arraignment",
        scheduled_at=HEARING,
        courthouse="Leighton Criminal Court Building",
        courtroom="302",
    )


@pytest.fixture
def accompaniment(alice, hearing):
    return justice.court_event_accompany(actor=alice, event=hearing)


def test_accompany_schedules_a_court_appointment_tied_to_the_hearing(client_as, hearing, case):
    response = client_as("advocate").post(
        reverse("justice:court_event_accompany", args=[hearing.pk])
    )
    assert response.status_code == 302
    followup = FollowUp.objects.get(case=case, kind=FollowUpKind.COURT)
    assert followup.court_event_id == hearing.pk and followup.due_at == HEARING
    assert followup.location == "Leighton Criminal Court Building, courtroom 302"

    again = client_as("advocate").post(
        reverse("justice:court_event_accompany", args=[hearing.pk]), follow=True
    )
    assert "already has a court accompaniment" in again.content.decode()
    assert FollowUp.objects.filter(kind=FollowUpKind.COURT).count() == 1


def test_a_moved_hearing_moves_its_accompaniment(alice, hearing, accompaniment):
    later = HEARING + timedelta(days=14, hours=4)
    justice.court_event_move(actor=alice, event=hearing, scheduled_at=later, courtroom="404")

    accompaniment.refresh_from_db()
    assert accompaniment.due_at == later and accompaniment.is_pending
    assert accompaniment.location.endswith("courtroom 404")
    assert accompaniment.conflict == ""
    line = CaseEvent.objects.filter(kind="follow_up").order_by("-id").first()
    assert line.data["summary"] == (
        "Court accompaniment moved with the hearing from Dec 9, 9:30 AM to Dec 23, 1:30 PM"
    )


def test_a_move_onto_another_appointment_is_flagged(alice, hearing, accompaniment, case):
    exam = followup_schedule(
        actor=alice,
        case=case,
        kind=FollowUpKind.EXAM,
        due_at=HEARING + timedelta(days=1, hours=1),
        location="Mercy Hospital",
    )
    justice.court_event_move(actor=alice, event=hearing, scheduled_at=HEARING + timedelta(days=1))

    accompaniment.refresh_from_db()
    assert accompaniment.due_at == HEARING + timedelta(days=1)
    assert accompaniment.conflict == (
        f"Forensic exam accompaniment on case {case.number} at Dec 10, 10:30 AM"
    )
    # Moving on to a free time clears the flag.
    justice.court_event_move(actor=alice, event=hearing, scheduled_at=HEARING + timedelta(days=3))
    accompaniment.refresh_from_db()
    assert accompaniment.conflict == "" and exam.due_at == HEARING + timedelta(days=1, hours=1)


def test_a_cancelled_hearing_cancels_its_accompaniment(alice, hearing, accompaniment):
    other = followup_schedule(
        actor=alice,
        case=accompaniment.case,
        kind=FollowUpKind.COURT,
        due_at=HEARING,
        location="Another courtroom",
    )  # not tied to the hearing: left alone
    justice.court_event_cancel(actor=alice, event=hearing, reason="Nolle prosequi")

    accompaniment.refresh_from_db()
    assert accompaniment.outcome == FollowUpOutcome.CANCELED
    assert accompaniment.done_at == NOW
    other.refresh_from_db()
    assert other.is_pending
    with pytest.raises(ValidationError, match="cancelled"):
        justice.court_event_accompany(actor=alice, event=hearing)


def test_a_feed_moving_the_hearing_moves_the_accompaniment_too(cast, hearing, accompaniment):
    later = HEARING + timedelta(days=7)
    justice.court_event_move(
        actor=cast.actor("coordinator"), event=hearing, scheduled_at=later, feed=True
    )
    accompaniment.refresh_from_db()
    assert accompaniment.due_at == later


def test_exam_and_interview_accompaniments_need_a_place(alice, case):
    with pytest.raises(ValidationError) as refused:
        followup_schedule(actor=alice, case=case, kind=FollowUpKind.INTERVIEW, due_at=HEARING)
    assert refused.value.message_dict["location"] == ["Say where: the station or unit."]


def test_done_exam_and_interview_accompaniments_count_in_the_pmt_services(cast, alice, sam, case):
    exam = followup_schedule(
        actor=alice,
        case=case,
        kind=FollowUpKind.EXAM,
        due_at=NOW + timedelta(hours=2),
        location="Mercy",
    )
    interview = followup_schedule(
        actor=alice,
        case=case,
        kind=FollowUpKind.INTERVIEW,
        due_at=NOW + timedelta(hours=5),
        location="Area 4",
    )
    skipped = followup_schedule(
        actor=alice,
        case=case,
        kind=FollowUpKind.INTERVIEW,
        due_at=NOW + timedelta(hours=6),
        location="Area 4",
    )
    with time_machine.travel(NOW + timedelta(hours=7), tick=False):
        followup_complete(actor=alice, followup=exam)
        followup_complete(actor=alice, followup=interview)
        followup_complete(actor=alice, followup=skipped, outcome=FollowUpOutcome.NOT_REACHED)
        # The interview also entered as a service the same day: counted once.
        service_provide(actor=alice, case=case, sub_service="B3")

        rows = {row.code: row for row in pmt_report(sam, Quarter(2027, 1)).rows}

    assert (rows["B2"].times, rows["B2"].individuals) == (1, 1)
    assert (rows["B3"].times, rows["B3"].individuals) == (1, 1)
    assert rows["individuals"].individuals == 1
