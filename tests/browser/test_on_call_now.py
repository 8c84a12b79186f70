"""An officer at a scene opens "Who to call now" on a phone: one answer, a number to tap."""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.agencies.models import Agency
from haven.audit.models import AuditAction, AuditEvent
from haven.oncall.models import OnCallShift
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_on_a_phone_sees_whom_to_call_and_a_number_to_tap(
    phone_page, live_server, live_cast
):
    Agency.objects.filter(pk=live_cast.agency_a.pk).update(phone="312-555-0100")
    OnCallShift.objects.create(
        agency=live_cast.agency_a,
        member=live_cast.advocate,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=8),
    )
    page = phone_page
    sign_in(page, live_server, "oscar")
    page.goto(f"{live_server.url}/on-call/now/")

    page.get_by_role("heading", name="Who to call now").wait_for()
    answer = page.locator("#answer")
    assert "Call Alice Avery at (312) 555-0101" in answer.inner_text()
    call = page.get_by_role("link", name="Call (312) 555-0101")
    assert call.get_attribute("href") == "tel:+13125550101"
    box = call.bounding_box()
    assert box is not None and box["height"] >= 44, "the call button is too small to tap"
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.get_by_role("link", name="Refer a victim").last.is_visible()
    body = page.locator("main").inner_text()
    assert live_cast.case_a.number not in body and "Dana" not in body
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    assert AuditEvent.objects.filter(
        action=AuditAction.ONCALL_NOW_VIEW, actor_label="oscar"
    ).exists()
