"""A specialist writes a safety plan with a victim on a phone: from the case page, through the
form with its prompts, to the plan, its history and the printed page in Spanish."""

import pytest
from playwright.sync_api import expect

from haven.safety.models import SafetyPlanRevision
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_fits_a_phone(page, what):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} scrolls sideways on a phone ({width}px)"


def test_an_advocate_writes_a_safety_plan_on_a_phone(phone_page, live_server, live_cast):
    page = phone_page
    sign_in(page, live_server, "alice")
    page.get_by_role("link", name=live_cast.case_a.number).click()
    section = page.locator("#safety-plans")
    section.get_by_text("No safety plan yet.").wait_for()
    section.get_by_role("link", name="Write the safety plan").click()

    page.get_by_role("heading", name="Write the safety plan").wait_for()
    assert page.get_by_text("What tells you things are getting dangerous").is_visible()
    assert_fits_a_phone(page, "the safety plan form")
    page.get_by_role("textbox", name="Warning signs").fill("Él bebe los viernes.")
    page.get_by_role("textbox", name="People to call").fill("Hermana Rosa. Palabra clave: piña.")
    page.get_by_label("Print it in").select_option("es")
    page.get_by_role("textbox", name="What changed").fill("Primer plan")
    page.get_by_role("button", name="Save revision").click()

    page.get_by_text("Safety plan written: revision 1.").wait_for()
    assert page.get_by_text("Hermana Rosa. Palabra clave: piña.").is_visible()
    assert page.get_by_text("Changed: Warning signs, People to call").is_visible()
    assert_fits_a_phone(page, "the safety plan page")
    revision = SafetyPlanRevision.objects.get()
    assert revision.plan.person_id == live_cast.case_a.primary_victim_id
    assert revision.language == "es"
    assert revision.sections["warning_signs"] == "Él bebe los viernes."

    page.get_by_role("link", name="Print").first.click()
    page.get_by_role("heading", name="Plan de seguridad").wait_for()
    assert page.get_by_role("heading", name="Señales de alerta").is_visible()
    assert page.get_by_text("Él bebe los viernes.").is_visible()
    assert page.locator("nav").count() == 0
    page.emulate_media(media="print")
    # Retried until it holds: the page's stylesheet (print-page.css) may still be loading.
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    assert_fits_a_phone(page, "the printed plan")
