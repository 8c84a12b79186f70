"""POST /api/v1/justice/events/ with an agency API token, and refused without the
permission."""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.integrations.services import api_token_create
from haven.justice.models import CourtEvent, CustodyEvent, RightsObligation
from haven.notices.models import Message

pytestmark = pytest.mark.django_db
URL = "/api/v1/justice/events/"


@pytest.fixture
def push(client, cora):
    _token, secret = api_token_create(actor=cora, name="Court feed")

    def send(body, secret=secret):
        return client.post(
            URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )

    return send


def court_row(cast, **extra):
    return {
        "type": "court",
        "report_number": cast.case_a.report_number,
        "court_case_number": "26CR0077",
        "court": "Circuit Court of Cook County",
        "kind": "bond_hearing",
        "at": (timezone.now() + timedelta(days=3)).isoformat(),
        "courthouse": "Branch 66",
        "external_id": "docket-1",
        **extra,
    }


def test_a_court_system_pushes_events_with_a_token(cast, push, new_audit_events):
    released = (timezone.now() - timedelta(hours=1)).isoformat()
    response = push(
        {
            "events": [
                court_row(cast),
                {
                    "type": "custody",
                    "case_number": cast.case_a.number,
                    "kind": "released_on_bond",
                    "at": released,
                    "conditions": "No contact",
                },
            ]
        }
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == 2 and body["bad"] == []
    assert CourtEvent.objects.get().source == "api"
    assert CustodyEvent.objects.get().conditions == "No contact"
    assert body["obligations"] == RightsObligation.objects.count() > 0
    [audit] = new_audit_events(action="justice.import")
    assert audit.actor_label.startswith("API token") and audit.details["source"] == "api"
    # The police-owed release notice is queued even though a token cannot message victims.
    release = RightsObligation.objects.get(custody_event__isnull=False)
    assert Message.objects.filter(source=f"justice.obligation:{release.pk}").exists()


def test_the_same_push_twice_is_unchanged_and_a_new_time_for_the_external_id_moves_it(cast, push):
    first = court_row(cast)
    push(first)
    again = push(first)
    moved = push(court_row(cast, at=(timezone.now() + timedelta(days=9)).isoformat()))

    assert again.json()["unchanged"] == 1
    assert moved.json()["changed"] == 1
    event = CourtEvent.objects.get()
    assert event.status == "continued" and event.previous_scheduled_at is not None


def test_a_bad_event_refuses_the_whole_push(cast, push):
    response = push({"events": [court_row(cast), court_row(cast, kind="nope", external_id="x")]})

    assert response.status_code == 422
    assert response.json()["bad"] == [
        {"item": 2, "field": "kind", "message": response.json()["bad"][0]["message"]}
    ]
    assert not CourtEvent.objects.exists()


def test_no_token_is_refused(cast, client):
    response = client.post(URL, {"events": []}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert not CourtEvent.objects.exists()


def test_a_revoked_token_is_refused(cast, client, cora):
    from haven.integrations.services import api_token_revoke

    token, secret = api_token_create(actor=cora, name="Old feed")
    api_token_revoke(actor=cora, token=token)
    response = client.post(
        URL,
        court_row(cast),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 401
    assert not CourtEvent.objects.exists()


@pytest.mark.parametrize("role", ["advocate", "supervisor", "officer"])
def test_a_session_without_justice_import_is_refused(cast, client_as, role):
    response = client_as(role).post(URL, court_row(cast), content_type="application/json")
    assert response.status_code == 403
    assert not CourtEvent.objects.exists()


def test_a_coordinators_session_may_push(cast, client_as):
    response = client_as("coordinator").post(URL, court_row(cast), content_type="application/json")
    assert response.status_code == 200
    assert CourtEvent.objects.count() == 1
