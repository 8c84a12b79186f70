"""An agency that turns local passwords off: the password sign-in is refused for its members,
with a pointer to its identity provider; other agencies' members are untouched."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

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


# A member signed in through the provider (force_login stands for that sign-in here) has no
# Haven password to change, reset or re-type.


def test_changing_a_password_is_refused_and_says_why(client, cast, riverside_sso_only):
    client.force_login(cast.advocate.user)

    response = client.get(reverse("accounts:password_change"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:security")
    page = response.content.decode()
    assert "signs its people in through its own identity provider" in page
    assert "Change your password" not in page


def test_no_reset_mail_goes_to_a_member_of_an_sso_only_agency(
    client, cast, riverside_sso_only, new_audit_events
):
    cast.advocate.user.email = "alice@riverside.gov"
    cast.advocate.user.save(update_fields=["email"])

    response = client.post(reverse("accounts:password_reset"), {"email": "alice@riverside.gov"})

    assert response.status_code == 302  # the same answer as for any address
    assert mail.outbox == []
    assert new_audit_events(action=AuditAction.PASSWORD_RESET_REQUEST)[0].details["sent"] is False


def test_a_reset_link_made_before_passwords_were_turned_off_is_refused(
    client, cast, riverside_sso_only
):
    user = cast.advocate.user
    link = reverse(
        "accounts:password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )

    response = client.get(link, follow=True)

    assert response.status_code == 404
    assert "identity provider" in response.content.decode()


def test_reconfirming_goes_through_the_provider_not_a_password(client, cast, riverside_sso_only):
    client.force_login(cast.advocate.user)

    page = client.get(reverse("reconfirm"), {"next": "/cases/"})
    typed = client.post(reverse("reconfirm"), {"password": PASSWORD, "next": "/cases/"})

    assert page.status_code == 302 and page.url.startswith(reverse("sso:reconfirm"))
    assert typed.status_code == 302 and typed.url.startswith(reverse("sso:reconfirm"))
    assert "sudo_until" not in client.session
