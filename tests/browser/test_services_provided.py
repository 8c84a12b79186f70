"""Recording a service in a few taps on a phone: the one-tap button on the case page, and
removing an entry tapped by mistake."""

import pytest

from haven.assistance.models import ServiceProvided
from haven.cases.models import CaseEvent, CaseEventKind
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_advocate_logs_a_one_tap_service_on_a_phone(phone_page, live_server, live_cast):
    page = phone_page
    sign_in(page, live_server, "alice")
    page.get_by_role("link", name=live_cast.case_a.number).click()
    page.wait_for_url(f"**/cases/{live_cast.case_a.pk}/")
    services = page.locator("#services")
    assert services.get_by_text("None recorded yet.").is_visible()

    services.get_by_role("button", name="Crisis intervention").click()

    services = page.locator("#services")
    services.get_by_text("Recorded: Crisis intervention").wait_for()
    assert (
        services.get_by_role("listitem")
        .filter(has_text="Crisis intervention (in-person, includes safety planning, etc.)")
        .is_visible()
    )
    assert page.url.endswith(f"/cases/{live_cast.case_a.pk}/")  # htmx: no page load
    services.get_by_text("More services…").click()  # loads the form (htmx)
    services.get_by_label("Service", exact=True).wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the case page scrolls sideways on a phone ({width}px)"
    service = ServiceProvided.objects.get(case=live_cast.case_a)
    assert (service.sub_service, service.person_id) == ("C1", live_cast.case_a.primary_victim_id)
    assert service.provided_by_id == live_cast.advocate.pk
    assert (
        CaseEvent.objects.filter(case=live_cast.case_a, kind=CaseEventKind.SERVICE_PROVIDED).count()
        == 1
    )

    # Tapped by mistake: removing it takes a reason, on a page that fits the phone too.
    page.locator("#services").get_by_role("link", name="Remove").click()
    page.get_by_label("Why remove it").fill("Tapped the wrong button")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the removal page scrolls sideways on a phone ({width}px)"
    page.get_by_role("button", name="Remove the entry").click()
    page.get_by_text("Removed: Crisis intervention").wait_for()
    assert page.locator("#services").get_by_text("None recorded yet.").is_visible()
    service.refresh_from_db()
    assert service.removal_reason == "Tapped the wrong button"
