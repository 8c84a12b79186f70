"""A token on the wire: a good one acts for its agency and may push exports, nothing more; a
wrong or revoked one is a 401 written to the access log without the secret."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from haven.audit.models import SYSTEM_CHAIN, AuditAction, AuditEvent
from haven.cases.models import Note, Task
from haven.incidents.models import ImportRun, Incident
from haven.incidents.tests.conftest import sample
from haven.integrations.authentication import NOT_VALID, REVOKED
from haven.integrations.models import ApiToken
from haven.integrations.services import api_token_revoke
from haven.integrations.tests.conftest import IMPORT_URL, push

pytestmark = pytest.mark.django_db

CHICAGO = sample("chicago.csv").read_bytes()


def test_a_good_token_pushes_for_its_agency_and_is_stamped_used(cast, token_a, bearer):
    token, secret = token_a

    response = push(bearer(secret), CHICAGO)

    assert response.status_code == 200, response.content
    assert response.json()["new"] == 9
    assert Incident.objects.filter(agency=cast.agency_a).count() == 9
    assert not Incident.objects.filter(agency=cast.agency_b).exists()
    used = ApiToken.objects.get(pk=token.pk)
    assert used.last_used_at is not None and used.last_used_ip == "127.0.0.1"
    run = ImportRun.objects.get()
    assert run.actor_label == token.actor_label
    event = AuditEvent.objects.filter(action=AuditAction.INCIDENT_IMPORT).last()
    assert event.agency_id == cast.agency_a.pk
    assert event.role == "integration" and event.actor_id is None
    assert event.actor_label == token.actor_label and event.ip == "127.0.0.1"


def test_a_wrong_token_is_a_401_audited_on_the_system_chain_without_the_secret(
    cast, token_a, bearer, new_audit_events
):
    token, secret = token_a
    wrong = secret[:-4] + "abcd"

    response = push(bearer(wrong), CHICAGO)

    assert response.status_code == 401
    assert response.json() == {"detail": NOT_VALID}
    assert response["WWW-Authenticate"] == 'Bearer realm="haven"'
    assert not Incident.objects.exists() and not ImportRun.objects.exists()
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None
    [event] = new_audit_events()
    assert event.action == AuditAction.API_TOKEN_REFUSED
    assert event.chain == SYSTEM_CHAIN and event.agency_id is None
    assert event.details == {"reason": "unknown"} and event.ip == "127.0.0.1"
    assert wrong not in str(event.__dict__) and wrong[4:12] not in str(event.__dict__)


@pytest.mark.parametrize("header", ["Bearer", "Bearer two parts", "bearer nothvn", "Bearer é"])
def test_a_malformed_bearer_header_is_refused(cast, client, header, new_audit_events):
    response = client.post(
        f"{IMPORT_URL}?profile=chicago",
        CHICAGO,
        content_type="text/csv",
        HTTP_AUTHORIZATION=header,
    )

    assert response.status_code == 401
    assert not Incident.objects.exists()
    assert [e.action for e in new_audit_events()] == [AuditAction.API_TOKEN_REFUSED]


def test_a_revoked_token_is_refused_and_its_agency_sees_it_tried(
    cast, cora, token_a, bearer, new_audit_events
):
    token, secret = token_a
    api_token_revoke(actor=cora, token=token)

    response = push(bearer(secret), CHICAGO)

    assert response.status_code == 401
    assert response.json() == {"detail": REVOKED}
    assert not Incident.objects.exists() and not ImportRun.objects.exists()
    [event] = new_audit_events(action=AuditAction.API_TOKEN_REFUSED)
    assert event.agency_id == cast.agency_a.pk and event.chain == str(cast.agency_a.pk)
    assert event.object_id == str(token.pk) and event.details == {"reason": "revoked"}
    assert secret not in str(event.__dict__)


def test_without_any_credentials_the_import_is_a_401(cast, client):
    response = client.post(f"{IMPORT_URL}?profile=chicago", CHICAGO, content_type="text/csv")

    assert response.status_code == 401
    assert not Incident.objects.exists()


def test_each_agencys_token_writes_only_its_own_agency(cast, token_a, token_b, bearer):
    push(bearer(token_b[1]), CHICAGO)
    b_before = sorted(
        Incident.objects.filter(agency=cast.agency_b).values_list("report_number", "updated_at")
    )
    changed = CHICAGO.replace(b"APARTMENT", b"RESIDENCE")

    response = push(bearer(token_a[1]), changed)

    assert response.status_code == 200 and response.json()["new"] == 9
    b_after = sorted(
        Incident.objects.filter(agency=cast.agency_b).values_list("report_number", "updated_at")
    )
    assert b_after == b_before
    a = Incident.objects.get(agency=cast.agency_a, report_number="JH100101")
    b = Incident.objects.get(agency=cast.agency_b, report_number="JH100101")
    assert "RESIDENCE" in a.location and "APARTMENT" in b.location
    assert ImportRun.objects.get(agency=cast.agency_b).actor_label == token_b[0].actor_label


def test_the_token_decides_the_agency_even_beside_another_agencys_session(
    cast, client, token_a, bearer
):
    client.force_login(cast.other_advocate.user)  # Charlie, of agency B

    response = push(bearer(token_a[1]), CHICAGO)

    assert response.status_code == 200
    assert Incident.objects.filter(agency=cast.agency_a).count() == 9
    assert not Incident.objects.filter(agency=cast.agency_b).exists()


# A token reaches nothing but the import.

A_SECRETS = ["Dana", "Reyes", "JA100001", "Victim asked", "Alice Avery"]
# The sign-in pages (a password, or the agency's identity provider) are open to anyone;
# healthz is public by design and says nothing about any agency (haven/ops/tests).
SKIPPED = {
    "login",
    "logout",
    "sso:start",
    "sso:login",
    "sso:callback",
    "api_schema",
    "api:incident_import",
    "api:justice_events",
    "healthz",
    # Public pages for someone who forgot their password (haven.accounts): no data behind them.
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
}


def _routes(resolver=None, prefix="", namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", "/" + prefix + str(entry.pattern)


def _fill(route: str, cast) -> str:
    task = Task.objects.filter(case=cast.case_a).first()
    values = {
        "case_id": cast.case_a.pk,
        "person_id": cast.case_a.primary_victim_id,
        "task_id": task.pk,
        "token_id": ApiToken.objects.filter(agency=cast.agency_a).first().pk,
    }
    for name, value in values.items():
        route = route.replace(f"<int:{name}>", str(value))
    # Another app's object: any id does, the token must be turned away before the look-up.
    return re.sub(r"<(?:\w+:)?\w+>", "1", route)


def test_a_token_answers_401_or_403_on_every_other_api_route(cast, token_a, bearer):
    call = bearer(token_a[1])
    api_routes = [(n, r) for n, r in _routes() if n.startswith("api:") and n not in SKIPPED]
    assert {"api:case_list", "api:case_detail", "api:note_create", "api:served"} <= {
        n for n, _ in api_routes
    }
    notes = Note.objects.count()
    for name, route in api_routes:
        path = _fill(route, cast)
        for method in ("get", "post"):
            response = call(method, path, {"body": "leak?"}, content_type="application/json")
            where = f"{method.upper()} {path} ({name})"
            assert response.status_code in (401, 403), where
            body = response.content.decode()
            assert not any(secret in body for secret in A_SECRETS), where
    assert Note.objects.count() == notes


def test_a_token_opens_no_page_either(cast, token_a, bearer):
    call = bearer(token_a[1])
    pages = [(n, r) for n, r in _routes() if not n.startswith("api:") and n not in SKIPPED]
    assert len(pages) > 15
    for name, route in pages:
        path = _fill(route, cast)
        for method in ("get", "post"):
            response = call(method, path)
            where = f"{method.upper()} {path} ({name})"
            assert response.status_code in (302, 401, 403, 404, 405), where
            if response.status_code == 302:
                assert response.url.startswith("/accounts/login/"), where
            body = response.content.decode()
            assert not any(secret in body for secret in A_SECRETS), where
    assert ApiToken.objects.get().revoked_at is None


def test_session_staff_keep_using_the_other_api_routes(cast, client_as):
    response = client_as("supervisor").get(
        "/api/v1/cases/", HTTP_AUTHORIZATION="Basic c2FtOnNhbQ=="
    )

    assert response.status_code == 200
    assert [row["number"] for row in response.json()["results"]] == [cast.case_a.number]
