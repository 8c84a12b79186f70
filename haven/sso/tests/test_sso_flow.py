"""The whole authorization-code flow against a real OpenID provider (tests/idp, in a second
process): Haven's side through the Django test client, the browser's side with requests."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY

from haven.audit.models import AuditAction
from haven.core.two_factor import SSO_MFA_SESSION_KEY
from haven.sso.models import SsoIdentity
from haven.sso.tests.conftest import (
    authorize_at_idp,
    finish,
    idp_user,
    sign_in_through_idp,
    start,
)

pytestmark = [pytest.mark.idp, pytest.mark.real_clock, pytest.mark.django_db]


def test_an_invited_member_signs_in_through_the_agencys_provider(
    client, idp, cast, riverside_sso, new_audit_events
):
    username = idp_user(idp, "Alice@Riverside.example")
    response = sign_in_through_idp(client, idp, username)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session[SESSION_KEY]) == cast.advocate.user.pk
    assert client.session["agency_id"] == cast.agency_a.pk
    assert SSO_MFA_SESSION_KEY not in client.session
    assert client.get("/", follow=True).status_code == 200
    identity = SsoIdentity.objects.get(user=cast.advocate.user)
    assert identity.issuer == idp.issuer and identity.agency == cast.agency_a
    actions = [e.action for e in new_audit_events()]
    assert AuditAction.SSO_SIGN_IN in actions and AuditAction.SIGN_IN in actions
    sso_event = new_audit_events(action=AuditAction.SSO_SIGN_IN)[0]
    assert sso_event.agency_id == cast.agency_a.pk
    assert sso_event.actor_id == cast.advocate.user.pk
    assert sso_event.details["mfa"] is False and sso_event.details["bound_now"] is True


def test_the_authorization_request_uses_pkce_a_nonce_and_the_registered_redirect(
    client, riverside_sso
):
    url = start(client, login_hint="alice@riverside.example", next="/cases/")
    query = dict(parse_qsl(urlsplit(url).query))
    assert url.startswith(riverside_sso.issuer + "/authorize/")
    assert query["redirect_uri"] == "http://testserver/sso/riverside/callback/"
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]
    assert query["nonce"] and query["state"]
    assert set(query["scope"].split()) == {"openid", "email", "profile"}
    assert query["login_hint"] == "alice@riverside.example"


def test_the_person_lands_on_the_page_they_asked_for(client, idp, cast, riverside_sso):
    username = idp_user(idp, "alice@riverside.example")
    callback = authorize_at_idp(start(client, next="/cases/"), idp, username)
    assert finish(client, callback)["Location"] == "/cases/"


def test_an_offsite_next_is_dropped(client, idp, cast, riverside_sso):
    username = idp_user(idp, "alice@riverside.example")
    callback = authorize_at_idp(start(client, next="https://evil.example/"), idp, username)
    assert finish(client, callback)["Location"] == "/"


def test_a_second_sign_in_matches_the_bound_subject(client, idp, cast, riverside_sso):
    username = idp_user(idp, "alice@riverside.example")
    sign_in_through_idp(client, idp, username)
    client.logout()
    response = sign_in_through_idp(client, idp, username)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == cast.advocate.user.pk
    assert SsoIdentity.objects.filter(user=cast.advocate.user).count() == 1


def test_an_email_no_member_has_is_refused_with_whom_to_ask_and_audited(
    client, idp, cast, riverside_sso, new_audit_events
):
    cora = cast.coordinator.user
    cora.email = "cora@riverside.example"
    cora.save(update_fields=["email"])
    username = idp_user(idp, "stranger@riverside.example")
    response = sign_in_through_idp(client, idp, username)

    assert response.status_code == 403
    page = response.content.decode()
    assert "No member of Riverside Police Department Victim Services has the email" in page
    assert "Cora Cole" in page and "cora@riverside.example" in page
    assert SESSION_KEY not in client.session
    assert not SsoIdentity.objects.exists()
    refused = new_audit_events(action=AuditAction.SSO_REFUSED)
    assert len(refused) == 1
    assert refused[0].agency_id == cast.agency_a.pk
    assert refused[0].details["reason"] == "unmatched"
    assert refused[0].actor_label == "stranger@riverside.example"
    assert not new_audit_events(action=AuditAction.SIGN_IN)


def test_sso_never_creates_a_user_or_a_member(client, idp, cast, riverside_sso):
    from django.contrib.auth import get_user_model

    from haven.agencies.models import Membership

    users, members = get_user_model().objects.count(), Membership.objects.count()
    sign_in_through_idp(client, idp, idp_user(idp, "new.hire@riverside.example"))
    assert get_user_model().objects.count() == users
    assert Membership.objects.count() == members


def test_an_unverified_email_is_refused(client, idp, cast, riverside_sso, new_audit_events):
    username = idp_user(idp, "alice@riverside.example", email_verified=False)
    response = sign_in_through_idp(client, idp, username)
    assert response.status_code == 403
    assert "has not verified your email address" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert new_audit_events(action=AuditAction.SSO_REFUSED)[0].details == {
        "reason": "email_unverified",
        "issuer": idp.issuer,
        "email_verified": False,
    }


def test_entras_domain_verified_claim_stands_for_email_verified(client, idp, cast, riverside_sso):
    response = sign_in_through_idp(
        client, idp, idp_user(idp, "alice@riverside.example", entra=True)
    )
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == cast.advocate.user.pk


def test_entras_claim_false_is_refused(client, idp, cast, riverside_sso):
    username = idp_user(idp, "alice@riverside.example", entra=True, email_verified=False)
    assert sign_in_through_idp(client, idp, username).status_code == 403
    assert SESSION_KEY not in client.session


def test_a_member_of_another_agency_is_refused(client, idp, cast, riverside_sso):
    charlie = cast.other_advocate.user
    charlie.email = "charlie@lakeside.example"
    charlie.save(update_fields=["email"])
    response = sign_in_through_idp(client, idp, idp_user(idp, "charlie@lakeside.example"))
    assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_a_deactivated_member_is_refused(client, idp, cast, riverside_sso, new_audit_events):
    cast.advocate.is_active = False
    cast.advocate.save(update_fields=["is_active"])
    response = sign_in_through_idp(client, idp, idp_user(idp, "alice@riverside.example"))
    assert response.status_code == 403
    assert "is not active" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert new_audit_events(action=AuditAction.SSO_REFUSED)[0].details["reason"] == "inactive"


def test_a_deactivated_user_is_refused_even_when_bound(client, idp, cast, riverside_sso):
    username = idp_user(idp, "alice@riverside.example")
    sign_in_through_idp(client, idp, username)
    client.logout()
    user = cast.advocate.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = sign_in_through_idp(client, idp, username)
    assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_a_member_bound_to_another_subject_is_refused(client, idp, cast, riverside_sso):
    sign_in_through_idp(client, idp, idp_user(idp, "alice@riverside.example"))
    client.logout()
    # The mailbox now belongs to another account at the provider.
    response = sign_in_through_idp(client, idp, idp_user(idp, "alice@riverside.example"))
    assert response.status_code == 403
    assert "linked to another account" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_wrong_state_is_refused(client, idp, cast, riverside_sso, new_audit_events):
    callback = authorize_at_idp(start(client), idp, idp_user(idp, "alice@riverside.example"))
    response = finish(client, callback, state="forged")
    assert response.status_code == 400
    assert "could not be completed" in response.content.decode()
    assert SESSION_KEY not in client.session
    refused = new_audit_events(action=AuditAction.SSO_REFUSED)[0]
    assert refused.details["reason"] == "protocol"
    assert refused.details["error"] == "mismatching_state"


def test_a_callback_used_twice_is_refused(client, idp, cast, riverside_sso):
    callback = authorize_at_idp(start(client), idp, idp_user(idp, "alice@riverside.example"))
    assert finish(client, callback).status_code == 302
    client.logout()
    assert finish(client, callback).status_code == 400
    assert SESSION_KEY not in client.session


def test_a_wrong_nonce_is_refused(client, idp, cast, riverside_sso, new_audit_events):
    callback = authorize_at_idp(start(client), idp, idp_user(idp, "alice@riverside.example"))
    state = dict(parse_qsl(urlsplit(callback).query))["state"]
    session = client.session
    key = next(k for k in list(session.keys()) if k.startswith("_state_") and k.endswith(state))
    stored = session[key]
    stored["data"]["nonce"] = "not-the-nonce-sent"
    session[key] = stored
    session.save()
    response = finish(client, callback)
    assert response.status_code == 400
    assert SESSION_KEY not in client.session
    refused = new_audit_events(action=AuditAction.SSO_REFUSED)[0]
    assert refused.details["reason"] == "protocol"
    assert refused.details["error"] == "invalid_claim"


def test_an_id_token_from_another_issuer_is_refused(
    client, idp, cast, riverside_sso, new_audit_events
):
    callback = authorize_at_idp(start(client), idp, idp_user(idp, "alice@riverside.example"))
    idp.sign_tokens_as("https://impostor.example/o")
    try:
        response = finish(client, callback)
    finally:
        idp.sign_tokens_as("")
    assert response.status_code == 400
    assert SESSION_KEY not in client.session
    refused = new_audit_events(action=AuditAction.SSO_REFUSED)[0]
    assert refused.details["reason"] == "protocol"
    assert refused.details["error"] == "invalid_claim"


def test_the_providers_error_answer_is_refused(client, riverside_sso):
    start(client)
    response = client.get(
        "/sso/riverside/callback/", {"error": "access_denied", "state": "whatever"}
    )
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_mfa_at_the_provider_stands_for_the_second_step(client, idp, cast, riverside_sso, settings):
    settings.REQUIRE_TWO_FACTOR = True
    username = idp_user(idp, "alice@riverside.example", mfa=True)
    sign_in_through_idp(client, idp, username)
    assert client.session[SSO_MFA_SESSION_KEY] is True
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/two-factor/" not in response["Location"]


def test_without_mfa_at_the_provider_haven_asks_for_its_own_second_step(
    client, idp, cast, riverside_sso, settings
):
    settings.REQUIRE_TWO_FACTOR = True
    sign_in_through_idp(client, idp, idp_user(idp, "alice@riverside.example"))
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")


def test_a_disabled_provider_is_not_offered(client, riverside_sso):
    riverside_sso.enabled = False
    riverside_sso.save(update_fields=["enabled"])
    assert client.get("/sso/riverside/login/").status_code == 404
    assert client.get("/sso/nowhere/login/").status_code == 404


def test_an_unreachable_provider_says_so(client, riverside_sso):
    riverside_sso.issuer = "http://127.0.0.1:9/o"
    riverside_sso.save(update_fields=["issuer"])
    response = client.get("/sso/riverside/login/")
    assert response.status_code == 503
    assert "cannot be reached" in response.content.decode()


def _reconfirm_at_idp(client, idp, username, next_url="/sso/settings/"):
    response = client.get("/sso/reconfirm/", {"next": next_url})
    assert response.status_code == 302
    query = dict(parse_qsl(urlsplit(response["Location"]).query))
    assert query["prompt"] == "login" and query["max_age"] == "0"
    return finish(client, authorize_at_idp(response["Location"], idp, username))


def test_a_member_without_a_password_reconfirms_through_the_provider(
    client, idp, cast, riverside_sso, new_audit_events
):
    user = cast.coordinator.user
    user.email = "cora@riverside.example"
    user.set_unusable_password()
    user.save()
    username = idp_user(idp, "cora@riverside.example")
    sign_in_through_idp(client, idp, username)
    reconfirm_page = client.get("/accounts/reconfirm/", {"next": "/sso/settings/"})
    assert "/sso/reconfirm/?next=/sso/settings/" in reconfirm_page.content.decode()
    assert client.get("/sso/settings/")["Location"].startswith("/accounts/reconfirm/")

    response = _reconfirm_at_idp(client, idp, username)
    assert response.status_code == 302 and response["Location"] == "/sso/settings/"
    assert client.get("/sso/settings/").status_code == 200
    event = new_audit_events(action=AuditAction.SSO_RECONFIRM)[0]
    assert event.actor_id == user.pk


def test_reconfirming_as_someone_else_at_the_provider_is_refused(
    client, idp, cast, riverside_sso, new_audit_events
):
    sign_in_through_idp(client, idp, idp_user(idp, "alice@riverside.example"))
    bob = cast.advocate2.user
    bob.email = "bob@riverside.example"
    bob.save(update_fields=["email"])
    response = _reconfirm_at_idp(client, idp, idp_user(idp, "bob@riverside.example"), "/")
    assert response.status_code == 403
    assert int(client.session[SESSION_KEY]) == cast.advocate.user.pk
    assert "sudo_until" not in client.session
    refused = new_audit_events(action=AuditAction.SSO_REFUSED)[-1]
    assert refused.details["reason"] == "reconfirm_mismatch"


def test_a_later_sign_in_without_mfa_clears_the_mark(client, idp, cast, riverside_sso):
    username = idp_user(idp, "alice@riverside.example", mfa=True)
    sign_in_through_idp(client, idp, username)
    assert client.session[SSO_MFA_SESSION_KEY] is True
    idp.add_user(username, "alice@riverside.example", mfa=False)
    sign_in_through_idp(client, idp, username)
    assert int(client.session[SESSION_KEY]) == cast.advocate.user.pk
    assert SSO_MFA_SESSION_KEY not in client.session
