"""An agency that turns local passwords off: the password sign-in is refused for its members,
with a pointer to its identity provider; other agencies' members are untouched."""

import pytest
from django.contrib.auth import SESSION_KEY

from haven.audit.models import AuditAction
from haven.cases.testing import PASSWORD
from haven.sso.models import IdentityProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def riverside_sso_only(cast):
    return IdentityProvider.objects.create(
        agency=cast.agency_a,
        issuer="https://login.example.org/riverside",
        client_id="haven",
        client_secret="s3cret",
        enabled=True,
        allow_local_passwords=False,
    )


def _sign_in(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_password_sign_in_is_refused_and_points_to_sso(
    client, cast, riverside_sso_only, new_audit_events
):
    response = _sign_in(client, "alice")
    page = response.content.decode()
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert "signs its people in through its own identity provider" in page
    assert 'href="/sso/riverside/login/"' in page
    refused = new_audit_events(action=AuditAction.SSO_PASSWORD_REFUSED)
    assert [(e.agency_id, e.actor_label) for e in refused] == [(cast.agency_a.pk, "alice")]
    assert not new_audit_events(action=AuditAction.SIGN_IN)


def test_a_wrong_password_still_gets_the_usual_answer(client, cast, riverside_sso_only):
    response = _sign_in(client, "alice", "not the password")
    page = response.content.decode()
    assert "do not match" in page
    assert "identity provider, not with a Haven password" not in page


def test_another_agencys_member_still_signs_in_with_a_password(client, cast, riverside_sso_only):
    response = _sign_in(client, "charlie")
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == cast.other_advocate.user.pk


def test_passwords_work_while_the_agency_allows_them(client, cast, riverside_sso_only):
    riverside_sso_only.allow_local_passwords = True
    riverside_sso_only.save(update_fields=["allow_local_passwords"])
    assert _sign_in(client, "alice").status_code == 302


def test_a_switched_off_provider_never_blocks_passwords(client, cast, riverside_sso_only):
    riverside_sso_only.enabled = False
    riverside_sso_only.save(update_fields=["enabled"])
    assert _sign_in(client, "alice").status_code == 302


def test_the_sign_in_page_offers_the_agencys_provider(client, cast):
    page = client.get("/accounts/login/").content.decode()
    assert "Continue with your agency's identity provider" in page
    assert 'action="/sso/"' in page
