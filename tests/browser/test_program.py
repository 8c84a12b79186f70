"""A program manager records a training on a 320 px phone: the list, the form (a refused date
first, then a good one), the activity's page and the month calendar all fit the screen."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from haven.program.models import Activity
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def narrow(browser, live_server):
    context = browser.new_context(**NARROW)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways: {width} px wide at 320"


def test_a_supervisor_records_a_training_at_320_px(narrow, live_server, live_cast):
    page = narrow
    sign_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/program/")
    page.get_by_text("No activity recorded").wait_for()
    assert_fits(page)
    page.get_by_role("link", name="Record an activity").click()
    page.wait_for_url("**/program/activities/new/")
    assert_fits(page)

    page.get_by_label("What it was").select_option("training")
    page.get_by_label("Topic or title").fill("Trauma-informed response for patrol")
    ahead = timezone.localdate() + timedelta(days=30)
    page.get_by_label("Date").fill(ahead.isoformat())
    page.get_by_label("How long it lasted (hours)").fill("1.5")
    page.get_by_label("Staff time spent", exact=False).fill("4")
    page.get_by_label("Led by").select_option(label="Alice Avery")
    page.get_by_label("Audience (trainings)").select_option("officers")
    page.get_by_label("Attendees").fill("28")
    page.get_by_label("Materials", exact=False).fill("Slides: https://example.org/tir.pdf")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    page.get_by_text("this date is ahead").wait_for()
    assert not Activity.objects.exists()
    assert_fits(page)

    held = timezone.localdate() - timedelta(days=2)
    page.get_by_label("Date").fill(held.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Trauma-informed response for patrol").wait_for()
    assert page.get_by_text("recorded.").is_visible()
    assert_fits(page)

    activity = Activity.objects.get()
    assert (activity.held_on, activity.hours, activity.time_spent) == (
        held,
        Decimal("1.5"),
        Decimal(4),
    )
    assert (activity.led_by, activity.attendees) == (live_cast.advocate, 28)
    assert activity.recorded_by == live_cast.supervisor

    page.goto(f"{live_server.url}/program/calendar/?month={held:%Y-%m}")
    page.get_by_role("link", name="Training given: Trauma-informed response for patrol").wait_for()
    page.goto(f"{live_server.url}/program/quarter/")
    assert page.get_by_role("heading", name="Trainings by audience").is_visible()
    assert_fits(page)
