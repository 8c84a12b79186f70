"""Day one, as a new unit lives it: the operator's command creates the agency, its coordinator
opens the set-up link, invites an advocate and a supervisor through the Team page, both sign
in from the mail they got (a real SMTP server on this machine), the advocate forgets their
password and resets it through the mail, and the coordinator deactivates the supervisor,
whose open session ends at once."""

import re

import pytest
from django.core.management import call_command

from tests.browser.conftest import DESKTOP, TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORA_PASSWORD = "copper kettle whistles at dawn"
ADA_PASSWORD = "seven quiet herons by the lake"
ADA_NEW_PASSWORD = "orange ferry crossing the sound"
SAM_PASSWORD = "midnight tram to the old harbor"


def _link_in(inbox, address: str, *, nth: int = -1) -> str:
    bodies = [
        message.get_payload(decode=True).decode()
        for rcpts, message in inbox.messages
        if address in rcpts
    ]
    assert bodies, f"no mail to {address}; got {[r for r, _ in inbox.messages]}"
    return re.search(r"https?://\S+", bodies[nth]).group(0)


def _new_page(browser):
    context = browser.new_context(**DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _set_password(page, link: str, password: str) -> None:
    page.goto(link)
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("New password confirmation").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Set my (new )?password")).click()


def _invite(page, base: str, email: str, role: str) -> None:
    page.goto(f"{base}/team/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Role").select_option(role)
    with page.expect_navigation():
        page.get_by_role("button", name="Send the invitation").click()
    assert f"Invitation sent to {email}" in page.locator("body").inner_text()


def _sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert "/accounts/login/" not in page.url, page.locator("body").inner_text()[:300]


def test_a_new_unit_stands_up_and_staffs_itself(page, browser, live_server, smtp_inbox, capsys):
    base = live_server.url
    call_command(
        "agency_create",
        slug="hillview",
        name="Hillview PD Victim Services",
        timezone="America/Denver",
        coordinator="cora@hillview.gov",
        site_url=base,
    )
    printed = re.search(r"https?://\S+", capsys.readouterr().out).group(0)
    assert printed == _link_in(smtp_inbox, "cora@hillview.gov")

    # The coordinator opens the set-up link and chooses a password.
    _set_password(page, printed, CORA_PASSWORD)
    assert "Welcome to Haven" in page.locator("body").inner_text()
    assert "Hillview PD Victim Services" in page.locator("body").inner_text()

    _invite(page, base, "ada@hillview.gov", "advocate")
    _invite(page, base, "sam@hillview.gov", "supervisor")

    # Both open their mail and set their passwords; each is then signed in.
    ada = _new_page(browser)
    _set_password(ada, _link_in(smtp_inbox, "ada@hillview.gov"), ADA_PASSWORD)
    assert "My caseload" in ada.locator("body").inner_text()
    sam = _new_page(browser)
    _set_password(sam, _link_in(smtp_inbox, "sam@hillview.gov"), SAM_PASSWORD)
    assert "All cases" in sam.locator("body").inner_text()

    # The advocate forgets their password and resets it through the mail.
    forgetful = _new_page(browser)
    forgetful.goto(f"{base}/accounts/login/")
    forgetful.get_by_role("link", name="Forgot your password?").click()
    forgetful.get_by_label("Email").fill("ada@hillview.gov")
    with forgetful.expect_navigation():
        forgetful.get_by_role("button", name="Send me a link").click()
    assert "Check your email" in forgetful.locator("body").inner_text()
    _set_password(forgetful, _link_in(smtp_inbox, "ada@hillview.gov"), ADA_NEW_PASSWORD)
    assert "Your new password is set" in forgetful.locator("body").inner_text()
    _sign_in(forgetful, base, "ada@hillview.gov", ADA_NEW_PASSWORD)
    assert "My caseload" in forgetful.locator("body").inner_text()

    # The coordinator deactivates the supervisor; the supervisor's open session ends at once.
    page.goto(f"{base}/team/")
    page.get_by_role("link", name="sam@hillview.gov").first.click()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Deactivate")).click()
    assert "is deactivated" in page.locator("body").inner_text()
    sam.goto(f"{base}/cases/")
    # Its session row was deleted, so Django's own sign-in check sends it to the form.
    assert "/accounts/login/" in sam.url
    assert "Sign in to Haven" in sam.locator("body").inner_text()
    sam.goto(f"{base}/accounts/login/")
    sam.locator("input[name=username]").fill("sam@hillview.gov")
    sam.locator("input[name=password]").fill(SAM_PASSWORD)
    with sam.expect_navigation():
        sam.get_by_role("button", name="Sign in").click()
    assert "deactivated" in sam.locator("body").inner_text()
    for other in (ada, sam, forgetful):
        other.context.close()
