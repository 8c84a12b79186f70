"""The caseworker's lists sit under one "To do" menu, on a desk and on a phone."""

import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTS = [
    "Follow-ups",
    "Rights to honor",
    "Referrals waiting",
    "Releases expiring",
    "Messages to handle",
    "Compensation claims",
    "Call-outs",
    "Anonymous contacts",
]


def test_an_advocate_opens_a_list_from_the_to_do_menu(page, live_server, live_cast):
    sign_in(page, live_server, "alice")
    menu = page.get_by_role("button", name="To do")
    assert menu.get_attribute("aria-expanded") == "false"
    menu.click()
    for name in LISTS:
        assert page.get_by_role("link", name=name, exact=True).is_visible()
    page.get_by_role("link", name="Rights to honor").click()
    page.wait_for_url("**/obligations/")


def test_the_to_do_menu_works_on_a_phone(phone_page, live_server, live_cast):
    sign_in(phone_page, live_server, "alice")
    phone_page.get_by_role("button", name="Menu").click()
    phone_page.get_by_role("button", name="To do").click()
    phone_page.get_by_role("link", name="Referrals waiting").click()
    phone_page.wait_for_url("**/referrals/")


def test_an_officer_has_no_to_do_menu(page, live_server, live_cast):
    sign_in(page, live_server, "oscar")
    assert page.get_by_role("button", name="To do").count() == 0
