"""An officer at the scene refers a victim from a phone: the menu, the form, the receipt."""

import pytest
from django.core import mail

from haven.agencies.models import Agency
from haven.cases.models import Case, CaseSource, Priority
from haven.people.indexes import last_name_index
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_refers_a_victim_from_a_phone(phone_page, live_server, live_cast):
    alice = live_cast.advocate
    alice.user.email = "alice@riverside.example"
    alice.user.save(update_fields=["email"])
    Agency.objects.filter(pk=live_cast.agency_a.pk).update(on_call=alice)
    page = phone_page

    sign_in(page, live_server, "oscar")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Refer a victim").click()
    page.get_by_role("heading", name="Refer a victim").wait_for()

    page.get_by_label("First name").fill("Tamara")
    page.get_by_label("Last name").fill("Quintero")
    page.get_by_label("Phone").fill("773 555 0142")
    # USWDS tiles hide the box itself and style the label: tap the label, as a thumb would.
    page.get_by_text("Safe to call", exact=True).click()
    page.get_by_text("Safe to text", exact=True).click()
    page.get_by_label("From").fill("09:00")
    page.get_by_label("Until").fill("17:00")
    page.get_by_text("Domestic and/or family violence").click()
    page.get_by_text("Yes, the victim agrees to be contacted").click()
    page.get_by_text("The victim is in danger now").click()
    page.get_by_label("Note for the specialist").fill("Needs a shelter bed tonight.")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the referral form scrolls sideways on a phone ({width}px)"
    send = page.get_by_role("button", name="Send referral")
    box = send.bounding_box()
    assert box is not None and box["height"] >= 44, "the send button is too small to tap"
    send.click()

    page.get_by_role("heading", name="Referral received").wait_for()
    case = Case.objects.get(primary_victim__last_name_index=last_name_index("Quintero"))
    body = page.locator("main").inner_text()
    assert case.number in body
    assert "Alice Avery" in body and "(312) 555-0101" in body
    assert "Tamara" not in body and "shelter" not in body
    assert live_cast.case_a.number not in body
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the receipt scrolls sideways on a phone ({width}px)"

    assert case.source == CaseSource.OFFICER_REFERRAL and case.priority == Priority.HIGH
    assert case.assigned_to_id == alice.pk and case.created_by_id == live_cast.officer.pk
    assert [m.to for m in mail.outbox] == [["alice@riverside.example"]]
    assert "Quintero" not in mail.outbox[0].body


def test_an_officer_refers_with_a_lethality_screen_that_screens_in_from_a_phone(
    phone_page, live_server, live_cast
):
    from haven.lethality.models import LethalityScreen, Outcome
    from haven.lethality.scoring import QUESTIONS

    alice = live_cast.advocate
    alice.user.email = "alice@riverside.example"
    alice.user.save(update_fields=["email"])
    Agency.objects.filter(pk=live_cast.agency_a.pk).update(on_call=alice)
    page = phone_page

    sign_in(page, live_server, "oscar")
    page.goto(f"{live_server.url}/refer/")
    page.get_by_label("First name").fill("Tamara")
    page.get_by_label("Last name").fill("Quintero")
    page.get_by_label("Phone").fill("773 555 0142")
    page.get_by_text("Domestic and/or family violence").click()
    page.get_by_text("Yes, the victim agrees to be contacted").click()

    # The screen is a disclosure, closed until the officer opens it.
    question_1 = page.get_by_role("group", name=f"1. {QUESTIONS[0]}")
    assert not question_1.is_visible()
    page.get_by_text("Lethality screen (intimate-partner violence)").first.click()
    question_1.wait_for()
    for number in (1, 4, 5):
        group = page.get_by_role("group", name=f"{number}. {QUESTIONS[number - 1]}")
        group.get_by_text("Yes", exact=True).click()
    for number in (2, 3):
        group = page.get_by_role("group", name=f"{number}. {QUESTIONS[number - 1]}")
        group.get_by_text("No", exact=True).click()
    page.get_by_label("Is there anything else that worries you about your safety?").fill(
        "He bought a gun last week."
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the screen scrolls sideways on a phone ({width}px)"
    yes = question_1.get_by_text("Yes", exact=True).bounding_box()
    assert yes is not None and yes["height"] >= 44, "an answer is too small to tap"
    page.get_by_role("button", name="Send referral").click()

    page.get_by_role("heading", name="Referral received").wait_for()
    body = page.locator("main").inner_text()
    assert "High danger: follow the protocol now" in body
    assert "Call the domestic violence hotline now" in body
    assert "gun" not in body and "Tamara" not in body
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the receipt scrolls sideways on a phone ({width}px)"

    case = Case.objects.get(primary_victim__last_name_index=last_name_index("Quintero"))
    screen = LethalityScreen.objects.get(case=case)
    assert screen.outcome == Outcome.PROTOCOL
    assert screen.answers[:5] == ["yes", "no", "no", "yes", "yes"]
    assert screen.answers[5:] == ["not_answered"] * 6
    assert screen.worries == "He bought a gun last week."
    assert case.priority == Priority.HIGH
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        f"High danger: lethality screen on case {case.number}",
        f"New officer referral: case {case.number}, HIGH priority",
    ]
