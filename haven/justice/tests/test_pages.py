"""The case section, the obligation list, and the forms behind them; officers see no court
details or obligations."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from haven.justice import services
from haven.justice.models import CourtCase, CourtEvent, CustodyEvent, ObligationStatus

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")  # agency A's time zone: forms read local times


@pytest.fixture
def with_events(cast, alice, court_case):
    services.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="plea",
        scheduled_at=timezone.now() + timedelta(days=6),
        courthouse="Leighton",
    )
    services.custody_event_record(
        actor=alice,
        case=cast.case_a,
        kind="released_on_bond",
        occurred_at=timezone.now() - timedelta(hours=6),
    )


def test_the_case_page_shows_the_docket_and_which_rights_were_honored(cast, client_as, with_events):
    response = client_as("advocate").get(f"/cases/{cast.case_a.pk}/panels/justice/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Court and custody" in body and "26CR0001" in body and "Victor Vance" in body
    assert "Timely notice of all court proceedings" in body
    assert "Prosecutor&#x27;s" in body or "Prosecutor's" in body
    assert "Overdue" in body  # the release notice was due two hours ago


def test_a_specialist_adds_a_court_case_and_a_date_from_the_case_page(cast, client_as):
    client = client_as("advocate")

    added = client.post(
        f"/cases/{cast.case_a.pk}/court-cases/new/",
        {"court": "Circuit Court", "level": "state", "number": "26CR5", "status": "pending"},
    )
    court_case = CourtCase.objects.get()
    dated = client.post(
        f"/cases/{cast.case_a.pk}/court-events/new/",
        {
            "court_case": court_case.pk,
            "kind": "arraignment",
            "scheduled_at": (timezone.localtime(timezone=CHICAGO) + timedelta(days=4)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "courtroom": "101",
        },
    )

    assert added.status_code == 302 and dated.status_code == 302
    event = CourtEvent.objects.get()
    assert event.courtroom == "101" and event.obligations.count() == 1


def test_a_specialist_records_a_custody_event_and_marks_a_right_honored(
    cast, client_as, court_case
):
    client = client_as("advocate")
    client.post(
        f"/cases/{cast.case_a.pk}/custody-events/new/",
        {
            "kind": "escaped",
            "occurred_at": timezone.localtime(
                timezone.now() - timedelta(hours=1), timezone=CHICAGO
            ).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    obligation = CustodyEvent.objects.get().obligations.get()

    response = client.post(
        f"/obligations/{obligation.pk}/honor/", {"how": "phone", "next": "/obligations/"}
    )

    assert response.status_code == 302 and response["Location"] == "/obligations/"
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.HONORED and obligation.how == "phone"


def test_the_obligation_list_shows_a_specialist_their_cases_and_a_supervisor_all(
    cast, client_as, with_events, bob
):
    from haven.cases.testing import make_case

    other = make_case(bob, first_name="Olga", last_name="Other", assignee=cast.advocate2)
    services.custody_event_record(
        actor=bob, case=other, kind="escaped", occurred_at=timezone.now() - timedelta(hours=2)
    )

    mine = client_as("advocate").get("/obligations/").content.decode()
    assert cast.case_a.number in mine and other.number not in mine
    assert "overdue" in mine
    everyone = client_as("supervisor").get("/obligations/").content.decode()
    assert cast.case_a.number in everyone and other.number in everyone


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_officers_and_others_see_no_obligations_or_court_details(
    cast, client_as, role, with_events, court_case
):
    client = client_as(role)

    assert client.get("/obligations/").status_code == 403
    assert client.get(f"/cases/{cast.case_a.pk}/").status_code in (403, 404)
    assert client.get(f"/court-cases/{court_case.pk}/edit/").status_code == 403
    event = CourtEvent.objects.get()
    moved = client.post(f"/court-events/{event.pk}/move/", {"scheduled_at": "2030-01-01T10:00"})
    assert moved.status_code == 403
    event.refresh_from_db()
    assert event.status == "scheduled"


def test_a_coordinator_turns_on_the_federal_rules(cast, client_as, new_audit_events):
    response = client_as("coordinator").post(
        "/justice/settings/", {"illinois": "on", "federal_cvra": "on"}
    )

    assert response.status_code == 302
    settings = services.settings_of(cast.agency_a)
    assert settings.illinois and settings.federal_cvra
    assert new_audit_events(action="justice.settings")
