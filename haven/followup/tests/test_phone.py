"""On a phone, in a real browser: set a case's check-in cadence, schedule a court date, mark
the check-in done, and find the next one on /follow-ups/; nothing scrolls sideways."""

import gc
import os
from datetime import timedelta

import pytest
from django.utils import dateformat, timezone

from haven.followup.models import FollowUp, FollowUpKind, FollowUpOutcome, FollowUpPlan
from tests.browser import conftest as suite
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in

# The browser suite's fixtures, used here by name (its conftest only serves tests/browser).
live_cast = suite.live_cast
phone_page = suite.phone_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    """Chromium for this module. tests/browser/conftest.py's fixtures are not visible from
    here, and Playwright's sync API runs once per thread: reuse the suite's browser when it is
    already running in this process, else launch one and close it when the module is done
    (before any test of tests/browser starts its own)."""
    from playwright.sync_api import Browser, sync_playwright

    # type(), not isinstance(): the latter would wake lazy objects (the admin site) in the heap.
    running = [b for b in gc.get_objects() if type(b) is Browser and b.is_connected()]
    if running:
        yield running[0]
        return
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: make test installs it (scripts/ensure-system-packages)."
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def no_sideways_scroll(page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{where} scrolls sideways on a phone ({width}px)"


def test_an_advocate_plans_and_records_follow_ups_on_a_phone(phone_page, live_server, live_cast):
    page = phone_page
    case = live_cast.case_a
    sign_in(page, live_server, "alice")
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    section = page.locator("#follow-up")
    section.get_by_text("No check-in plan yet.").wait_for()
    no_sideways_scroll(page, "the case page")

    section.get_by_text("How often to check in").click()  # a <details>: its form loads (htmx)
    cadence = page.locator("#check-in-cadence")
    cadence.get_by_label("How often").select_option("weekly_then_monthly")
    cadence.get_by_label("At").fill("09:30")
    cadence.get_by_role("button", name="Save the cadence").click()
    page.get_by_text("Check-ins weekly for the first month, then monthly.").wait_for()
    assert page.locator("#next-check-in").get_by_text("9:30 AM").is_visible()

    page.locator("#follow-up").get_by_text("Schedule a check-in or court date").click()
    form = page.locator("#schedule-follow-up")
    form.get_by_text("Court accompaniment", exact=True).click()
    hearing = (timezone.localtime(timezone.now(), case.agency.tz) + timedelta(days=30)).replace(
        hour=9, minute=0
    )
    form.get_by_label("When").fill(hearing.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Where").fill("Daley Center, courtroom 1704")
    form.get_by_role("button", name="Schedule").click()
    page.locator("#court-dates").get_by_text("Daley Center, courtroom 1704").wait_for()
    shown = dateformat.format(hearing, "D M j, Y g:i A")
    assert page.locator("#court-dates").get_by_text(shown).is_visible()
    no_sideways_scroll(page, "the case page with follow-ups")

    first = FollowUp.objects.get(case=case, kind=FollowUpKind.CHECK_IN, done_at__isnull=True)
    page.locator("#next-check-in").get_by_role("button", name="Done").click()
    page.get_by_text("Check-in: done. Next check-in:").wait_for()
    first.refresh_from_db()
    assert first.outcome == FollowUpOutcome.DONE
    following = FollowUp.objects.get(case=case, kind=FollowUpKind.CHECK_IN, done_at__isnull=True)
    assert following.sequence == first.sequence + 1 and following.due_at > first.due_at
    assert FollowUpPlan.objects.get(case=case).unit == "weekly_then_monthly"

    page.goto(f"{live_server.url}/follow-ups/")
    assert page.get_by_role("heading", name="My follow-ups").is_visible()
    page.locator("#upcoming").wait_for()
    assert page.get_by_role("link", name=case.number).first.is_visible()
    no_sideways_scroll(page, "/follow-ups/")
