"""The REST API answers as the pages do: same access rules, same services, clear errors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.cases.models import Contact, Note

pytestmark = pytest.mark.django_db


def test_the_case_list_shows_the_agencys_open_cases(client_as, cast):
    response = client_as("supervisor").get("/api/v1/cases/")
    assert response.status_code == 200
    numbers = [row["number"] for row in response.json()["results"]]
    assert numbers == [cast.case_a.number]


def test_the_case_detail_carries_contacts_and_notes_for_specialists(client_as, cast):
    response = client_as("advocate").get(f"/api/v1/cases/{cast.case_a.pk}/")
    body = response.json()
    assert response.status_code == 200
    assert body["victimizations"] == ["domestic_violence"]
    assert body["notes"][0]["body"] == "Victim asked to be called after 5pm at work."
    assert body["contacts"][0]["attempt_result"] == "voicemail_left"


def test_another_agencys_case_is_not_found(client_as, cast):
    client = client_as("other_advocate")
    assert client.get(f"/api/v1/cases/{cast.case_a.pk}/").status_code == 404
    response = client.post(
        f"/api/v1/cases/{cast.case_a.pk}/notes/", {"body": "probe"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert Note.objects.filter(case=cast.case_a).count() == 1


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_roles_without_case_access_are_refused(client_as, cast, role):
    client = client_as(role)
    assert client.get("/api/v1/cases/").status_code == 403
    assert client.get(f"/api/v1/cases/{cast.case_a.pk}/").status_code == 403


def test_logging_a_contact_through_the_api(client_as, cast):
    when = timezone.now() - timedelta(minutes=5)
    response = client_as("advocate").post(
        f"/api/v1/cases/{cast.case_a.pk}/contacts/",
        {
            "outcome": "completed",
            "channel": "in_person",
            "direction": "inbound",
            "occurred_at": when.isoformat(),
            "summary": "Walked in with her sister.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["case_status"] == "active"
    assert Contact.objects.get(pk=response.json()["id"]).summary == "Walked in with her sister."


def test_a_service_rule_comes_back_as_a_400_naming_the_field(client_as, cast):
    response = client_as("advocate").post(
        f"/api/v1/cases/{cast.case_a.pk}/contacts/",
        {
            "outcome": "completed",
            "channel": "phone",
            "direction": "outbound",
            "occurred_at": (timezone.now() + timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "occurred_at" in response.json()


def test_malformed_input_is_a_400(client_as, cast):
    response = client_as("advocate").post(
        f"/api/v1/cases/{cast.case_a.pk}/contacts/",
        {"outcome": "maybe"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"outcome", "channel", "direction", "occurred_at"}


def test_officers_ask_the_api_whether_a_victim_is_served(client_as, cast):
    response = client_as("officer").get("/api/v1/served/", {"report_number": "JA100001"})
    assert response.status_code == 200
    assert response.json() == [
        {
            "victim_name": "Dana Reyes",
            "report_number": "JA100001",
            "being_served": True,
            "status_label": "Referred, not yet reached",
            "specialist": "Alice Avery",
            "specialist_phone": "312-555-0101",
        }
    ]


def test_the_openapi_schema_is_served(client_as):
    response = client_as("advocate").get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/cases/{case_id}/contacts/" in response.content
