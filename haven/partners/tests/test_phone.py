"""On a phone, in a real browser: an advocate finds a Spanish-speaking shelter and reads how to
refer; nothing scrolls sideways. A coordinator's organization page fits too."""

import gc
import os
import random

import pytest

from haven.partners.demo import seed_demo
from tests.browser import conftest as suite
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in

live_cast = suite.live_cast
phone_page = suite.phone_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    """Chromium for this module (the suite's when it already runs in this process), as in
    haven/followup/tests/test_phone.py."""
    from playwright.sync_api import Browser, sync_playwright

    running = [b for b in gc.get_objects() if type(b) is Browser and b.is_connected()]
    if running:
        yield running[0]
        return
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-system-packages --browser.")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def no_sideways_scroll(page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{where} scrolls sideways on a phone ({width}px)"


def test_an_advocate_finds_a_shelter_by_need_and_language_on_a_phone(
    phone_page, live_server, live_cast
):
    seed_demo(agency=live_cast.agency_a, rng=random.Random(3))
    page = phone_page
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/partners/")
    no_sideways_scroll(page, "the directory")

    page.get_by_label("Need").select_option("shelter")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/partners/?*")

    card = page.locator(".usa-card").filter(has_text="Emergency confidential shelter")
    card.wait_for()
    assert page.locator(".usa-card__heading").count() == 1
    assert "24 hours, every day" in card.inner_text()
    assert "Call the 24-hour line" in card.inner_text()
    assert "MOU IN FORCE" in card.inner_text().upper()
    no_sideways_scroll(page, "the search results")
    if os.environ.get("HAVEN_SCREENSHOTS"):
        page.screenshot(
            path=os.environ["HAVEN_SCREENSHOTS"] + "/partners-search.png", full_page=True
        )

    card.get_by_role("link", name="Harbor House Domestic Violence Shelter").click()
    page.get_by_role("heading", name="Contacts for referrals").wait_for()
    no_sideways_scroll(page, "an organization's page")
    if os.environ.get("HAVEN_SCREENSHOTS"):
        page.screenshot(path=os.environ["HAVEN_SCREENSHOTS"] + "/partners-org.png", full_page=True)
