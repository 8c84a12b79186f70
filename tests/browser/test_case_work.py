"""A specialist's day in a real browser: sign in, open a case from the caseload, log an attempt
and a completed call, add a note, see it all on the timeline; a supervisor reassigns; the same
work on a phone."""

import pytest

from haven.cases.models import Case, CaseStatus, Contact
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_advocate_works_a_case_from_the_caseload(page, live_server, live_cast):
    sign_in(page, live_server, "alice")
    assert page.get_by_role("heading", name="My caseload").is_visible()
    page.get_by_role("link", name=live_cast.case_a.number).click()
    page.wait_for_url(f"**/cases/{live_cast.case_a.pk}/")
    assert page.get_by_role("heading", name="Dana Reyes").is_visible()
    assert page.get_by_text("No first contact yet").is_visible()

    contact = page.locator("#log-contact")
    contact.get_by_text("Attempted", exact=True).click()  # USWDS styles the label, hides the input
    contact.get_by_role("combobox", name="If attempted").select_option("no_answer")
    contact.get_by_role("button", name="Log contact").click()
    timeline = page.locator(".haven-timeline")
    timeline.get_by_text("no answer").wait_for()

    contact = page.locator("#log-contact")
    contact.get_by_text("Completed", exact=True).click()
    contact.get_by_role("spinbutton", name="Minutes").fill("20")
    contact.get_by_role("textbox", name="Summary").fill(
        "Explained the court process; safety plan next week."
    )
    contact.get_by_role("button", name="Log contact").click()
    page.locator(".haven-timeline").get_by_text("Explained the court process").wait_for()
    # The whole case body refreshed: the header and the first-contact banner too.
    assert page.get_by_text("No first contact yet").count() == 0
    assert page.locator("#case-page .usa-tag", has_text="Active").first.is_visible()

    page.get_by_role("button", name="Add a note").click()
    note = page.locator("#add-note")
    note.get_by_role("textbox", name="Note").fill("Prefers calls at her sister's number.")
    note.get_by_role("button", name="Add note").click()
    page.locator(".haven-timeline").get_by_text("Prefers calls at her sister's number.").wait_for()

    case = Case.objects.get(pk=live_cast.case_a.pk)
    assert case.status == CaseStatus.ACTIVE
    assert case.first_contact_at is not None
    assert Contact.objects.filter(case=case).count() == 3  # the cast's voicemail + these two


def test_a_supervisor_reassigns_a_case(page, live_server, live_cast):
    sign_in(page, live_server, "sam")
    assert page.get_by_role("heading", name="All cases").is_visible()
    page.get_by_role("link", name=live_cast.case_a.number).click()
    page.get_by_role("link", name="Reassign").click()
    page.get_by_label("Assignee").select_option(str(live_cast.advocate2.pk))
    page.get_by_label("Reason").fill("Caseload balance")
    page.get_by_role("button", name="Reassign").click()
    page.get_by_text("is now with Bob Burke").wait_for()
    assert Case.objects.get(pk=live_cast.case_a.pk).assigned_to_id == live_cast.advocate2.pk


def test_an_advocate_logs_a_contact_on_a_phone(phone_page, live_server, live_cast):
    page = phone_page
    sign_in(page, live_server, "alice")
    assert page.get_by_role("button", name="Menu").is_visible()
    page.get_by_role("link", name=live_cast.case_a.number).click()
    contact = page.locator("#log-contact")
    contact.get_by_text("Completed", exact=True).click()
    contact.get_by_role("button", name="Log contact").click()
    page.locator(".haven-timeline").get_by_text("Completed phone call").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the case page scrolls sideways on a phone ({width}px)"


def test_an_officer_sees_only_who_serves_the_victim(page, live_server, live_cast):
    sign_in(page, live_server, "oscar")
    page.get_by_label("Report number").fill("JA100001")
    page.get_by_role("button", name="Look up").click()
    card = page.locator(".usa-card")
    card.get_by_text("Alice Avery").wait_for()
    body = page.locator("body").inner_text()
    assert "called after 5pm" not in body
    assert page.get_by_role("link", name="My caseload").count() == 0
