"""A specialist works a homicide survivor's protocol checklist on a phone 320 px wide: checks
a step off with a note, skips another with a reason, and sees who did what and when."""

import re

import pytest

from haven.core.scoping import agency_scope
from haven.protocols.models import CaseStep, StepStatus
from haven.protocols.services import protocol_start, protocol_templates_start
from tests.browser.conftest import PHONE, _page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {**PHONE, "viewport": {"width": 320, "height": 640}}


@pytest.fixture
def narrow_page(request, browser, live_server):
    """The narrowest phone we support: 320 px wide."""
    yield from _page(request, browser, NARROW, "narrow")


@pytest.fixture
def homicide_checklist(clock, live_cast):
    cast = live_cast
    with agency_scope(cast.agency_a):
        templates = protocol_templates_start(actor=cast.actor("coordinator"))
        [homicide] = [t for t in templates if t.key == "homicide-survivors"]
        protocol_start(actor=cast.actor("advocate"), case=cast.case_a, template=homicide)
    return cast


def fits(page, selector: str) -> None:
    """The section ends inside the screen, and nothing in it is cut off or pushes the page
    sideways."""
    found = page.evaluate(
        """(sel) => {
          const screen = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll(sel + ', ' + sel + ' *')]
            .filter(e => e.getBoundingClientRect().right > screen + 1)
            .map(e => e.tagName + '.' + e.className);
          return {screen, page: document.documentElement.scrollWidth, wide};
        }""",
        selector,
    )
    assert found["screen"] == 320
    assert found["wide"] == [], found
    assert found["page"] <= 320, found


def test_a_specialist_checks_off_protocol_steps_on_a_320_px_phone(
    narrow_page, live_server, homicide_checklist
):
    cast = homicide_checklist
    page = narrow_page
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/cases/{cast.case_a.pk}/#protocols")
    section = page.locator("#protocols")
    section.get_by_text("0 of 8 steps done").wait_for()
    fits(page, "#protocols")

    section.get_by_role("textbox", name="Note on “Next of kin identified").fill(
        "Mother told at home with Det. Lee; brother in Texas asked for."
    )
    first = section.locator("li", has_text="Next of kin identified")
    first.get_by_role("button", name=re.compile("^Done")).click()
    page.get_by_text("Done: Next of kin identified").first.wait_for()
    section = page.locator("#protocols")
    assert section.get_by_text("1 of 8 steps done").is_visible()
    assert section.get_by_text("done by Alice Avery").is_visible()
    assert section.get_by_text("Mother told at home with Det. Lee").is_visible()
    fits(page, "#protocols")

    step = section.locator("li", has_text="Talk with the family about the media")
    step.locator("summary", has_text="Skip").click()
    step.get_by_label("Why is it not needed?").fill("The family asked for no contact")
    step.get_by_role("button", name="Skip this step").click()
    page.get_by_text("Skipped: Talk with the family about the media").wait_for()
    assert page.locator("#protocols").get_by_text("2 of 8 steps done").is_visible()
    fits(page, "#protocols")

    steps = {s.key: s for s in CaseStep.objects.filter(case=cast.case_a)}
    assert steps["next-of-kin"].status == StepStatus.DONE
    assert steps["next-of-kin"].finished_by == cast.advocate
    assert steps["media"].status == StepStatus.SKIPPED
    assert steps["media"].skip_reason == "The family asked for no contact"
    # The steps after the notification now have due times.
    assert steps["medical-examiner"].due_at is not None
