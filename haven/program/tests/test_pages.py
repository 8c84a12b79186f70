import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from haven.audit.models import AuditAction
from haven.program import services
from haven.program.models import Activity, ActivityKind, Audience
from haven.program.services import ActivityInput


@pytest.fixture
def activity(cast, alice):
    return services.activity_record(
        actor=alice,
        data=ActivityInput(
            kind=ActivityKind.TRAINING,
            topic='=HYPERLINK("http://evil")',
            held_on=date(2026, 11, 12),
            hours=Decimal("1.5"),
            led_by=cast.advocate,
            audience=Audience.OFFICERS,
            attendees=20,
        ),
    )


def test_the_list_filters_by_kind_and_dates(cast, client_as, activity, alice):
    services.activity_record(
        actor=alice,
        data=ActivityInput(
            kind=ActivityKind.OUTREACH,
            topic="Back-to-school fair",
            held_on=date(2026, 10, 3),
            hours=Decimal(4),
            led_by=cast.advocate,
        ),
    )
    client = client_as("advocate")
    assert len(client.get("/program/").context["rows"]) == 2
    trainings = client.get("/program/?kind=training").context["rows"]
    assert [a.pk for a in trainings] == [activity.pk]
    october = client.get("/program/?start=2026-10-01&end=2026-10-31").context["rows"]
    assert [a.topic for a in october] == ["Back-to-school fair"]


def test_recording_a_training_through_the_page(cast, client_as, new_audit_events):
    client = client_as("advocate")
    assert client.get("/program/activities/new/").status_code == 200
    answer = client.post(
        "/program/activities/new/",
        {
            "kind": "training",
            "topic": "Confidentiality for detectives",
            "held_on": "2026-11-20",
            "hours": "2",
            "led_by": cast.advocate.pk,
            "audience": "officers",
            "attendees": "14",
            "materials": "Handout: https://example.org/conf.pdf",
        },
    )
    activity = Activity.objects.get()
    assert answer.status_code == 302 and answer.url == f"/program/activities/{activity.pk}/"
    assert activity.attendees == 14 and activity.time_spent == Decimal(2)
    assert new_audit_events(action=AuditAction.PROGRAM_ACTIVITY)


def test_a_refused_activity_says_what_to_fix(cast, client_as):
    answer = client_as("advocate").post(
        "/program/activities/new/",
        {
            "kind": "training",
            "topic": "x",
            "held_on": "2026-11-20",
            "hours": "2",
            "led_by": cast.advocate.pk,
            "cases": "NOPE-1",
        },
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "No case numbered NOPE-1" in text
    assert not Activity.objects.exists()


def test_the_calendar_puts_each_activity_on_its_day(cast, client_as, activity):
    page = client_as("supervisor").get("/program/calendar/?month=2026-11")
    assert page.status_code == 200
    days = {d.day: d.activities for week in page.context["weeks"] for d in week}
    assert days[date(2026, 11, 12)] == [activity]
    assert days[date(2026, 11, 13)] == []
    assert client_as("supervisor").get("/program/calendar/?month=garbage").status_code == 200


def test_the_csv_neutralizes_formulas_and_is_audited(cast, client_as, activity, new_audit_events):
    answer = client_as("analyst").get("/program/activities.csv?kind=training")
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0][0] == "date" and len(rows) == 2
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'
    assert rows[1][5] == "20"
    [event] = new_audit_events(action=AuditAction.PROGRAM_EXPORT)
    assert event.details["rows"] == 1


@pytest.mark.parametrize("role", ["officer", "auditor"])
def test_roles_without_the_program_get_403(cast, client_as, role, activity):
    client = client_as(role)
    for url in (
        "/program/",
        "/program/calendar/",
        "/program/quarter/",
        f"/program/activities/{activity.pk}/",
        "/program/activities/new/",
    ):
        assert client.get(url).status_code == 403, url


def test_another_agencys_activity_is_404(cast, client_as, activity):
    assert client_as("other_advocate").get(f"/program/activities/{activity.pk}/").status_code == 404


def test_an_advocate_may_not_download_the_csv(cast, client_as, activity):
    assert client_as("advocate").get("/program/activities.csv").status_code == 403


def test_the_manager_keeps_a_volunteers_file_and_logs_hours(cast, client_as, volunteer):
    client = client_as("supervisor")
    assert client.get("/program/volunteers/").status_code == 200
    answer = client.post(
        f"/program/volunteers/{volunteer.pk}/",
        {"kind": "intern", "trained_on": "2026-10-01", "background_checked_on": "2026-09-20"},
    )
    assert answer.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.volunteer_profile.get_kind_display() == "Intern"
    answer = client.post(
        f"/program/volunteers/{volunteer.pk}/hours/",
        {"worked_on": "2026-12-01", "hours": "3", "case": cast.case_a.number},
    )
    assert answer.status_code == 302
    assert volunteer.volunteer_hours.get().case == cast.case_a
    rows = client.get("/program/volunteers/").context["rows"]
    assert [(r.member, r.hours_on_cases) for r in rows] == [(volunteer, Decimal(3))]


def test_an_advocate_is_not_a_volunteer_page(cast, client_as):
    assert (
        client_as("supervisor").get(f"/program/volunteers/{cast.advocate.pk}/").status_code == 404
    )
