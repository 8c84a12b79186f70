"""Single sign-on in a real browser: a member signs in through the agency's identity provider
(the real OpenID provider of tests/idp, in a second process) from Haven's sign-in page."""

import secrets

import pytest

from haven.audit.models import AuditAction, AuditEvent
from haven.sso.models import IdentityProvider, SsoIdentity
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.idp, pytest.mark.django_db(transaction=True)]

IDP_PASSWORD = "idp-pass-1234"


@pytest.fixture
def riverside_sso(idp, live_server, live_cast):
    client_id = f"haven-browser-{secrets.token_hex(4)}"
    client_secret = secrets.token_urlsafe(24)
    base = live_server.url.rstrip("/")
    idp.register_client(client_id, client_secret, [f"{base}/sso/riverside/callback/"])
    idp.sign_tokens_as("")
    for membership, email in (
        (live_cast.advocate, "alice@riverside.example"),
        (live_cast.coordinator, "cora@riverside.example"),
    ):
        membership.user.email = email
        membership.user.save(update_fields=["email"])
    return IdentityProvider.objects.create(
        agency=live_cast.agency_a,
        issuer=idp.issuer,
        client_id=client_id,
        client_secret=client_secret,
        enabled=True,
        allow_local_passwords=False,
        email_domains="riverside.example",
    )


def _through_the_provider(page, live_server, idp, email):
    username = f"u{secrets.token_hex(4)}"
    idp.add_user(username, email, password=IDP_PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Your work email or your agency's code").fill(email)
    page.get_by_role("button", name="Continue with your agency's identity provider").click()
    page.wait_for_url(f"{idp.url}/login/**")
    page.get_by_label("IdP user name").fill(username)
    page.get_by_label("IdP password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Sign in to the identity provider").click()


def test_a_member_signs_in_through_the_agencys_provider(page, live_server, idp, riverside_sso):
    # Riverside turned Haven passwords off: the password form points to the provider.
    sign_in(page, live_server, "alice", expect_success=False)
    assert "signs its people in through its own identity provider" in page.content()
    assert page.get_by_role(
        "link", name="Sign in with Riverside Police Department Victim Services's identity provider"
    ).is_visible()

    _through_the_provider(page, live_server, idp, "alice@riverside.example")
    page.wait_for_url(f"{live_server.url}/cases/mine/**")
    assert page.get_by_role("heading", level=1).inner_text()
    identity = SsoIdentity.objects.get()
    assert identity.user.username == "alice"
    assert AuditEvent.objects.filter(action=AuditAction.SSO_SIGN_IN, actor_id=identity.user_id)


def test_an_uninvited_person_is_told_whom_to_ask(page, live_server, idp, riverside_sso):
    _through_the_provider(page, live_server, idp, "new.hire@riverside.example")
    page.wait_for_url(f"{live_server.url}/sso/riverside/callback/**")
    body = page.locator("main").inner_text() if page.locator("main").count() else page.content()
    assert "You cannot sign in to Riverside Police Department Victim Services yet" in body
    assert "Cora Cole" in body and "cora@riverside.example" in body
    assert not SsoIdentity.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.SSO_REFUSED).count() == 1
