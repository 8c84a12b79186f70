"""Two people edit one person at once, one at a desk, one on a small phone (320 px): the
second save shows both versions side by side and keeps the input; saving it again over the
newer version is a choice the person makes (docs/security.md, "No lost edit")."""

import pytest

from haven.people.models import Person
from tests.browser.axe import assert_accessible, assert_fits
from tests.browser.conftest import PHONE, _page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = PHONE | {"viewport": {"width": 320, "height": 640}}


@pytest.fixture
def small_phone(request, browser, live_server):
    yield from _page(request, browser, SMALL_PHONE, "small-phone")


def test_the_second_save_shows_both_versions_and_can_be_saved_over_knowingly(
    page, small_phone, live_server, live_cast
):
    person = live_cast.victim_a
    edit = f"{live_server.url}/people/{person.pk}/edit/"
    sign_in(page, live_server, "alice")
    sign_in(small_phone, live_server, "sam")
    page.goto(edit)
    small_phone.goto(edit)

    page.get_by_label("Preferred name").fill("Dee")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Details saved.").wait_for()
    small_phone.get_by_label("Preferred name").fill("Dina")
    small_phone.get_by_role("button", name="Save", exact=True).click()

    small_phone.get_by_role("heading", name="Someone else saved this first").wait_for()
    row = small_phone.locator("tr", has_text="Preferred name")
    # inner_text is the rendered text: the tag is styled in capitals
    assert "differs" in row.inner_text().lower() and "Dina" in row.inner_text()
    assert "Dee" in row.inner_text()
    assert_fits(small_phone, 320)
    assert_accessible(small_phone)
    assert Person.objects.get(pk=person.pk).preferred_name == "Dee"

    small_phone.get_by_role("button", name="Save mine over the newer version").click()
    small_phone.get_by_text("Details saved.").wait_for()
    saved = Person.objects.get(pk=person.pk)
    assert (saved.preferred_name, saved.version) == ("Dina", 3)
