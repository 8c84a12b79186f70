"""On a small phone (320 px wide): an officer at the scene asks for a specialist to come, and
the on-call specialist, from the alert's link, presses Dispatched and then Arrived."""

import re

import pytest
from django.core import mail

from haven.agencies.models import Agency
from haven.crisis.models import CallOut, CallOutStatus
from tests.browser.conftest import PHONE, _page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = PHONE | {"viewport": {"width": 320, "height": 640}}


@pytest.fixture
def small_phone(request, browser, live_server):
    yield from _page(request, browser, SMALL_PHONE, "small-phone")


@pytest.fixture
def specialist_phone(request, browser, live_server):
    yield from _page(request, browser, SMALL_PHONE, "specialist-phone")


def fits(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{what} scrolls sideways on a 320 px phone ({width}px)"


def test_an_officer_asks_for_a_specialist_who_presses_arrived(
    small_phone, specialist_phone, live_server, live_cast
):
    alice = live_cast.advocate
    alice.user.email = "alice@riverside.example"
    alice.user.save(update_fields=["email"])
    Agency.objects.filter(pk=live_cast.agency_a.pk).update(on_call=alice)

    page = small_phone
    sign_in(page, live_server, "oscar")
    page.goto(f"{live_server.url}/refer/")
    page.get_by_label("First name").fill("Tamara")
    page.get_by_label("Last name").fill("Quintero")
    page.get_by_label("Phone").fill("773 555 0142")
    page.get_by_text("Adult physical assault").click()
    page.get_by_text("Yes, the victim agrees to be contacted").click()
    page.get_by_text("Ask a specialist to come now").click()
    page.get_by_text("At a hospital", exact=True).click()
    page.get_by_label("Address or place").fill("Mercy Hospital, ER")
    fits(page, "the referral form")
    page.get_by_role("button", name="Send referral").click()

    page.get_by_role("heading", name="Referral received").wait_for()
    assert "A specialist has been asked to come at a hospital" in page.locator("main").inner_text()
    fits(page, "the receipt")
    callout = CallOut.objects.get()
    assert (
        callout.status == CallOutStatus.REQUESTED and callout.place_detail == "Mercy Hospital, ER"
    )

    alert = next(m for m in mail.outbox if m.subject.startswith("Specialist requested"))
    assert alert.to == ["alice@riverside.example"] and "Tamara" not in alert.body
    link = re.search(r"(/callouts/\d+/)", alert.body)[1]

    phone = specialist_phone
    sign_in(phone, live_server, "alice")
    phone.goto(f"{live_server.url}{link}")
    phone.get_by_role("heading", name="Call-out: requested").wait_for()
    assert "Mercy Hospital, ER" in phone.locator("main").inner_text()
    fits(phone, "the call-out")
    dispatched = phone.get_by_role("button", name="Dispatched now")
    box = dispatched.bounding_box()
    assert box is not None and box["height"] >= 44, "the button is too small to tap"
    dispatched.click()
    phone.get_by_role("heading", name="Call-out: on the way").wait_for()
    phone.get_by_role("button", name="Arrived now").click()
    phone.get_by_role("heading", name="Call-out: on scene").wait_for()
    fits(phone, "the call-out on scene")

    callout.refresh_from_db()
    assert callout.status == CallOutStatus.ARRIVED
    assert callout.requested_at <= callout.dispatched_at <= callout.arrived_at
    assert list(callout.responders.all()) == [alice]
    assert "minutes after the request" in phone.locator("main").inner_text()
