"""The compensation pages as each role uses them: what they show, refuse and change, and the
packet PDF in the claimant's language."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from haven.audit.models import AuditAction
from haven.compensation.models import Claim, ClaimStatus, ExpenseItem, RestitutionOrder
from haven.compensation.services import claim_set_status, expense_add
from haven.compensation.tests.conftest import NON_CASEWORKER_ROLES, days_ago
from haven.people.services import person_update

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_case_page_shows_the_section_and_links_to_start_a_claim(client_as, cast, claim):
    page = client_as("advocate").get(reverse("cases:panel", args=[cast.case_a.pk, "compensation"]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Compensation and restitution" in body
    assert reverse("compensation:claim", args=[claim.pk]) in body
    assert reverse("compensation:claim_new", args=[cast.case_a.pk]) in body


def test_an_advocate_starts_a_claim_from_the_form(client_as, cast, new_audit_events):
    client = client_as("advocate")
    url = reverse("compensation:claim_new", args=[cast.case_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "claimant": cast.case_a.primary_victim_id,
            "program": "illinois",
            "claimant_relation": "victim",
            "crime_date": days_ago(20).isoformat(),
            "crime_type": "battery",
            "reported_on": days_ago(19).isoformat(),
            "cooperated": "yes",
        },
    )
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("compensation:claim", args=[claim.pk])
    assert claim.crime_type == "battery" and claim.reported_on == days_ago(19)
    assert new_audit_events(action=AuditAction.COMPENSATION_CREATE)


def test_a_bad_claim_form_says_what_to_fix_and_saves_nothing(client_as, cast):
    response = client_as("advocate").post(
        reverse("compensation:claim_new", args=[cast.case_a.pk]),
        {
            "claimant": cast.case_a.primary_victim_id,
            "program": "illinois",
            "claimant_relation": "victim",
            "crime_date": days_ago(5).isoformat(),
            "reported_on": days_ago(6).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "before the crime date" in response.content.decode()
    assert not Claim.objects.exists()


def test_the_claim_page_explains_each_rule(client_as, claim, new_audit_events):
    response = client_as("advocate").get(reverse("compensation:claim", args=[claim.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Reported to police in time" in body and "the limit is 72 hours" in body
    assert "Filed within the deadline" in body
    assert new_audit_events(action=AuditAction.COMPENSATION_VIEW)


def test_adding_an_expense_and_ticking_documents_from_the_page(client_as, claim):
    client = client_as("advocate")
    response = client.post(
        reverse("compensation:expense_add", args=[claim.pk]),
        {"category": "funeral", "amount": "7,500.01", "incurred_on": days_ago(3).isoformat()},
    )
    assert response.status_code == 302
    item = ExpenseItem.objects.get()
    assert item.amount == Decimal("7500.01")
    page = client.get(reverse("compensation:claim", args=[claim.pk])).content.decode()
    assert "over the cap of $7,500.00" in page
    response = client.post(
        reverse("compensation:expense_update", args=[item.pk]),
        {f"e{item.pk}-documents_received": ["funeral_bill", "death_certificate"]},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.documents_received == ["funeral_bill", "death_certificate"]


def test_a_bad_amount_is_shown_on_the_form(client_as, claim):
    response = client_as("advocate").post(
        reverse("compensation:expense_add", args=[claim.pk]),
        {"category": "medical", "amount": "12.345", "incurred_on": days_ago(3).isoformat()},
    )
    assert response.status_code == 400
    assert "at most two decimals" in response.content.decode()
    assert not ExpenseItem.objects.exists()


def test_moving_the_status_from_the_page(client_as, alice, claim):
    expense_add(
        actor=alice, claim=claim, category="medical", amount="100.00", incurred_on=days_ago(2)
    )
    response = client_as("advocate").post(
        reverse("compensation:status", args=[claim.pk]), {"to_status": "ready", "note": "signed"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.READY
    assert claim.history.first().note == "signed"


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_officers_analysts_and_auditors_see_no_claim(client_as, claim, role):
    client = client_as(role)
    for name in ("compensation:claim", "compensation:packet"):
        assert client.get(reverse(name, args=[claim.pk])).status_code in (403, 404)
    assert client.get(reverse("compensation:list")).status_code == 403
    response = client.post(reverse("compensation:status", args=[claim.pk]), {"to_status": "ready"})
    assert response.status_code in (403, 404)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


def test_another_agency_gets_404(client_as, claim, order):
    client = client_as("other_advocate")
    assert client.get(reverse("compensation:claim", args=[claim.pk])).status_code == 404
    assert client.get(reverse("compensation:restitution", args=[order.pk])).status_code == 404


def test_the_list_shows_my_claims_and_supervisors_see_everyones(client_as, claim):
    body = client_as("advocate").get(reverse("compensation:list")).content.decode()
    assert claim.claimant.full_name in body and "File the claim" in body
    sam = client_as("supervisor")
    assert claim.claimant.full_name not in sam.get(reverse("compensation:list")).content.decode()
    everyone = sam.get(reverse("compensation:list") + "?all=1").content.decode()
    assert claim.claimant.full_name in everyone


@pytest.mark.parametrize(
    ("language", "phrase"),
    [
        ("es", "Su solicitud de compensación"),
        ("pl", "wniosek o odszkodowanie"),
        ("en", "Your crime victim compensation application"),
    ],
)
def test_the_packet_has_the_cover_letter_in_the_claimants_language(
    client_as, alice, claim, new_audit_events, language, phrase
):
    person_update(actor=alice, person=claim.claimant, preferred_language=language)
    expense_add(
        actor=alice,
        claim=claim,
        category="medical",
        amount="250.00",
        incurred_on=days_ago(2),
        provider="Mercy Hospital",
        documents_received=["itemized_bills"],
    )
    response = client_as("advocate").get(reverse("compensation:packet", args=[claim.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert phrase in text
    assert "Mercy Hospital" in text and "$250.00" in text
    assert "[x]" in text and "[ ]" in text  # bills received, insurance statement missing
    [event] = new_audit_events(action=AuditAction.COMPENSATION_PACKET)
    assert event.details["language"] == language
    assert not new_audit_events(action=AuditAction.COMPENSATION_VIEW)


def test_a_packet_in_a_language_without_a_letter_falls_back_to_english_with_a_note(
    client_as, claim
):
    response = client_as("advocate").get(
        reverse("compensation:packet", args=[claim.pk]) + "?lang=vi"
    )
    text = pdf_text(response.content)
    assert "no letter in Vietnamese yet" in text


@pytest.mark.parametrize("language", ["zh", "ar"])
def test_the_packet_prints_chinese_and_arabic(client_as, claim, language):
    response = client_as("advocate").get(
        reverse("compensation:packet", args=[claim.pk]) + f"?lang={language}"
    )
    assert response.status_code == 200
    heading = pdf_text(response.content).splitlines()[1]  # under the agency and date
    # The bold heading's characters come out whole: Chinese from the fallback font, which
    # has no bold of its own, Arabic from DejaVu Sans Bold.
    script = {"zh": r"[\u4e00-\u9fff]", "ar": r"[\u0600-\u06ff\ufb50-\ufeff]"}[language]
    assert re.search(script, heading), heading


def test_recording_a_restitution_order_from_the_page(client_as, cast):
    response = client_as("advocate").post(
        reverse("compensation:restitution_new", args=[cast.case_a.pk]),
        {
            "payee": cast.case_a.primary_victim_id,
            "court_case_number": "2026-CF-9",
            "amount": "500.00",
            "ordered_on": days_ago(3).isoformat(),
            "payer_name": "V. Defendant",
        },
    )
    order = RestitutionOrder.objects.get()
    assert response.status_code == 302 and order.amount == Decimal("500.00")


def test_a_decided_claims_facts_cannot_be_edited(client_as, alice, claim):
    expense_add(
        actor=alice, claim=claim, category="medical", amount="5.00", incurred_on=days_ago(1)
    )
    for status in ("ready", "filed", "pending"):
        claim_set_status(actor=alice, claim=claim, to_status=status)
    claim_set_status(actor=alice, claim=claim, to_status="denied")
    response = client_as("advocate").post(
        reverse("compensation:claim_edit", args=[claim.pk]),
        {"claimant_relation": "victim", "crime_date": claim.crime_date.isoformat()},
    )
    assert response.status_code == 400
    assert "can no longer change" in response.content.decode()


def test_the_claim_list_makes_the_same_queries_for_one_claim_or_several(
    client_as, make_claim, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("advocate")
    make_claim()
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("compensation:list"))
    for _ in range(3):
        make_claim()
    with CaptureQueriesContext(connection) as four:
        body = client.get(reverse("compensation:list")).content.decode()
    assert body.count("File the claim") == 4
    assert len(four.captured_queries) == len(one.captured_queries)


def test_editing_the_claims_facts_from_the_page(client_as, claim):
    client = client_as("advocate")
    url = reverse("compensation:claim_edit", args=[claim.pk])
    assert 'value="Riverside PD"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "claimant_relation": "victim",
            "crime_date": claim.crime_date.isoformat(),
            "crime_type": "sex_offense",
            "reported_on": days_ago(4).isoformat(),
            "cooperated": "yes",
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.crime_type == "sex_offense" and claim.police_agency == ""


def test_a_payment_for_one_category_is_recorded_from_the_page(client_as, alice, claim):
    expense_add(
        actor=alice, claim=claim, category="medical", amount="90.00", incurred_on=days_ago(2)
    )
    for status in ("ready", "filed", "pending"):
        claim_set_status(actor=alice, claim=claim, to_status=status)
    claim_set_status(actor=alice, claim=claim, to_status="awarded", award_amount="90.00")
    client = client_as("advocate")
    response = client.post(
        reverse("compensation:payment", args=[claim.pk]),
        {
            "paid_on": days_ago(0).isoformat(),
            "amount": "90",
            "payee": "Mercy Hospital",
            "category": "medical",
        },
    )
    assert response.status_code == 302
    payment = claim.payments.get()
    assert payment.category == "medical" and payment.amount == Decimal("90.00")
    page = client.get(reverse("compensation:claim", args=[claim.pk])).content.decode()
    assert "Paid $90.00 of $90.00 awarded" in page
    assert "Medical, hospital and dental" in page


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_officers_analysts_and_auditors_cannot_reach_restitution(client_as, order, role):
    client = client_as(role)
    assert client.get(reverse("compensation:restitution", args=[order.pk])).status_code in (
        403,
        404,
    )
    response = client.post(
        reverse("compensation:restitution_payment", args=[order.pk]),
        {"paid_on": days_ago(1).isoformat(), "amount": "5.00", "received_from": "Clerk"},
    )
    assert response.status_code in (403, 404)
    order.refresh_from_db()
    assert order.paid_total == 0


def test_an_advocate_limited_to_their_caseload_gets_404_for_a_colleagues_claim(
    client_as, cast, claim
):
    cast.agency_a.advocates_see_own_caseload_only = True
    cast.agency_a.save(update_fields=["advocates_see_own_caseload_only"])
    response = client_as("advocate2").get(reverse("compensation:claim", args=[claim.pk]))
    assert cast.case_a.assigned_to == cast.advocate
    assert response.status_code == 404
