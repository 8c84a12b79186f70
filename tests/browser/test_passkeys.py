"""Passkeys in Chromium: Chromium's own virtual authenticator (DevTools WebAuthn domain) stands
for a phone's screen lock, and SimpleWebAuthn's browser bundle talks to it as it would to a real
one. A specialist adds a passkey on a phone-sized page, signs out, signs in with the password,
and passes the second step with the passkey alone."""

import re

import pytest

from haven.accounts.models import PasskeyDevice
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _virtual_authenticator(page):
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return session


def test_a_specialist_adds_a_passkey_and_signs_in_with_it(phone_page, live_server, live_cast):
    page = phone_page
    base = live_server.url
    assert base.startswith("http://localhost:"), "passkeys need a host name, not an address"
    _virtual_authenticator(page)
    sign_in(page, live_server, "alice")

    page.goto(f"{base}/accounts/passkeys/")
    page.get_by_label("A name to tell it apart").fill("Work phone")
    with page.expect_navigation(url=re.compile(r"/accounts/passkeys/$")):
        page.get_by_role("button", name="Add a passkey").click()
    assert "Passkey “Work phone” added" in page.locator("body").inner_text()
    assert PasskeyDevice.objects.filter(user=live_cast.advocate.user, name="Work phone").exists()

    page.get_by_role("button", name="Menu").click()  # the phone's header menu
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "alice", expect_success=False)
    assert "/accounts/two-factor/" in page.url
    with page.expect_navigation(url=re.compile(r"/cases/")):
        page.get_by_role("button", name="Use a passkey").click()

    assert page.get_by_role("heading", name=re.compile("caseload", re.I)).first.is_visible()
    device = PasskeyDevice.objects.get(user=live_cast.advocate.user)
    assert device.last_used_at is not None
