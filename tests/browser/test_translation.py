"""A member switches their screens to Spanish on "Your sign-in", on a 320 px phone."""

import pytest

from tests.browser.conftest import PHONE, _page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = PHONE | {"viewport": {"width": 320, "height": 640}}


@pytest.fixture
def small_phone(request, browser, live_server):
    yield from _page(request, browser, SMALL_PHONE, "small_phone")


def test_a_member_switches_to_spanish_and_the_header_follows(small_phone, live_server, live_cast):
    page = sign_in(small_phone, live_server, "alice")
    page.goto(f"{live_server.url}/accounts/security/")
    page.get_by_label("Language of your screens").select_option("es")
    with page.expect_navigation():
        page.get_by_role("button", name="Save language").click()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Su inicio de sesión").is_visible()
    page.get_by_role("button", name="Menú").click()
    assert page.get_by_role("link", name="Mis casos").is_visible()
    assert page.get_by_role("button", name="Cerrar sesión").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the Spanish page scrolls sideways at 320 px ({width}px)"
