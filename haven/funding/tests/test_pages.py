"""The funding pages and the case page's panel, as each role uses them: what they show, what
they refuse (another agency: 404), and what they change."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from haven.audit.reads import ReadScope, reads_of
from haven.funding.emergency import request_create, request_decide
from haven.funding.models import EmergencyFund, EmergencyRequest, FundingSource, RequestStatus
from haven.funding.tests.conftest import PNG, receipt

pytestmark = pytest.mark.django_db


def case_page(client, case):
    response = client.get(reverse("cases:panel", args=[case.pk, "funding"]))
    assert response.status_code == 200
    return response.content.decode().split('id="emergency-assistance"')[1].split("</section>")[0]


def waiting(cast, alice, fund, amount="80"):
    return request_create(
        actor=alice, case=cast.case_a, fund=fund, purpose="lock_change", amount=Decimal(amount)
    )


def test_the_case_panel_offers_a_request_and_the_specialist_requests_with_a_receipt(
    client_as, cast, fund
):
    client = client_as("advocate")
    assert "Request emergency assistance" in case_page(client, cast.case_a)

    response = client.post(
        reverse("funding:request_new", args=[cast.case_a.pk]),
        {
            "fund": fund.pk,
            "purpose": "lodging",
            "amount": "95.50",
            "detail": "One night",
            "receipt": receipt(),
        },
    )

    assert response.status_code == 302
    found = EmergencyRequest.objects.get()
    assert (found.amount, found.status, found.case) == (Decimal("95.50"), "requested", cast.case_a)
    panel = case_page(client, cast.case_a)
    assert "Lodging, $95.50" in panel and "Requested" in panel and "Receipt" in panel
    assert "Approve" not in panel  # not hers to approve


def test_a_bad_amount_shows_the_form_again_with_what_to_fix(client_as, cast, fund):
    response = client_as("advocate").post(
        reverse("funding:request_new", args=[cast.case_a.pk]),
        {"fund": fund.pk, "purpose": "food", "amount": "20000"},
    )
    assert response.status_code == 400
    assert "at most $10,000.00" in response.content.decode()
    assert not EmergencyRequest.objects.exists()


def test_a_supervisor_approves_then_disburses_from_the_case_page(client_as, cast, alice, fund):
    found = waiting(cast, alice, fund)
    client = client_as("supervisor")
    assert "Approve" in case_page(client, cast.case_a)

    client.post(reverse("funding:decide", args=[found.pk]), {"decision": "approve"})
    assert "Disburse $80.00" in case_page(client, cast.case_a)
    client.post(reverse("funding:disburse", args=[found.pk]))

    found.refresh_from_db()
    assert found.status == RequestStatus.DISBURSED
    assert EmergencyFund.objects.get(pk=fund.pk).balance == Decimal("420")


def test_a_disbursement_over_the_balance_is_refused_with_a_message(
    client_as, cast, alice, sam, fund
):
    found = waiting(cast, alice, fund, amount="900")
    request_decide(actor=sam, request=found, approve=True)
    response = client_as("coordinator").post(
        reverse("funding:disburse", args=[found.pk]), follow=True
    )
    assert "The fund holds $500.00; this request is $900.00" in response.content.decode()
    assert EmergencyRequest.objects.get(pk=found.pk).status == RequestStatus.APPROVED


def test_declining_from_its_page_needs_a_reason(client_as, cast, alice, fund):
    found = waiting(cast, alice, fund)
    client = client_as("supervisor")
    response = client.post(reverse("funding:decide", args=[found.pk]), {"decision": "decline"})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    client.post(
        reverse("funding:decide", args=[found.pk]), {"decision": "decline", "note": "Duplicate"}
    )
    assert EmergencyRequest.objects.get(pk=found.pk).status == RequestStatus.DECLINED


def test_the_requester_gets_403_on_the_decide_page(client_as, cast, sam, fund):
    found = request_create(
        actor=sam, case=cast.case_a, fund=fund, purpose="food", amount=Decimal("20")
    )
    response = client_as("supervisor").post(
        reverse("funding:decide", args=[found.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert EmergencyRequest.objects.get(pk=found.pk).status == RequestStatus.REQUESTED


def test_another_agency_gets_404_for_a_request_and_its_receipt(client_as, cast, alice, fund):
    found = request_create(
        actor=alice,
        case=cast.case_a,
        fund=fund,
        purpose="food",
        amount=Decimal("20"),
        receipt=receipt(),
    )
    client = client_as("other_advocate")
    assert client.get(reverse("funding:receipt", args=[found.pk])).status_code == 404
    assert client.post(reverse("funding:disburse", args=[found.pk])).status_code == 403
    assert client.get(reverse("funding:request_new", args=[cast.case_a.pk])).status_code == 404


def test_the_receipt_downloads_for_a_caseworker_and_the_read_is_audited(
    client_as, cast, alice, fund, new_audit_events
):
    found = request_create(
        actor=alice,
        case=cast.case_a,
        fund=fund,
        purpose="food",
        amount=Decimal("20"),
        receipt=receipt(),
    )
    response = client_as("supervisor").get(reverse("funding:receipt", args=[found.pk]))
    assert response.status_code == 200
    assert response.content == PNG
    assert 'filename="receipt.png"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    (read,) = new_audit_events(action="document.download")
    assert read.object_id == str(found.receipt_document_id)
    assert read.details["case"] == cast.case_a.pk
    # ... and is among the case's reads ("Who has opened this", the person's access report).
    scope = ReadScope(agency_id=cast.agency_a.pk, case_ids=(cast.case_a.pk,))
    assert read.pk in {event.pk for event in reads_of(scope)}


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_roles_without_case_work_cannot_request(client_as, cast, role):
    response = client_as(role).get(reverse("funding:request_new", args=[cast.case_a.pk]))
    assert response.status_code == 403


def test_the_funding_page_lists_sources_funds_waiting_requests_and_splits(
    client_as, cast, alice, cora, fund, stop
):
    from haven.funding.services import time_split_set

    waiting(cast, alice, fund)
    time_split_set(
        actor=cora,
        member=cast.advocate,
        effective_from=date(2026, 10, 1),
        lines=[(fund.source, Decimal("70")), (stop, Decimal("30"))],
    )
    page = client_as("coordinator").get(reverse("funding:home")).content.decode()
    assert "VOCA 2026" in page and "VAWA STOP 2026" in page and "$500.00" in page
    assert "Lock change, $80.00" in page
    assert "Alice Avery" in page and "VOCA 2026 70 %" in page and "VAWA STOP 2026 30 %" in page


def test_a_coordinator_sets_a_split_and_a_bad_sum_is_refused_on_the_form(
    client_as, cast, voca, stop
):
    client = client_as("coordinator")
    url = reverse("funding:split")
    base = {"member": cast.advocate.pk, "effective_from": "2026-10-01"}
    bad = client.post(url, base | {f"source_{voca.pk}": "50", f"source_{stop.pk}": "40"})
    assert bad.status_code == 400
    assert "adds up to 90 %, not 100 %" in bad.content.decode()
    good = client.post(url, base | {f"source_{voca.pk}": "50", f"source_{stop.pk}": "50"})
    assert good.status_code == 302


def test_a_coordinator_adds_a_source_and_deposits(client_as, cast):
    client = client_as("coordinator")
    client.post(
        reverse("funding:source_new"),
        {
            "name": "City general fund",
            "kind": "local",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    source = FundingSource.objects.get(agency=cast.agency_a)
    client.post(
        reverse("funding:deposit"),
        {"source": source.pk, "amount": "250", "deposited_on": "2026-11-30"},
    )
    assert EmergencyFund.objects.get(source=source).balance == Decimal("250")


@pytest.mark.parametrize("url", ["funding:split", "funding:deposit", "funding:source_new"])
def test_a_supervisor_cannot_configure_funding(client_as, url):
    assert client_as("supervisor").get(reverse(url)).status_code == 403


def test_another_agencys_source_is_404_and_missing_from_the_menus(client_as, cast):
    theirs = FundingSource.objects.create(
        agency=cast.agency_b,
        name="Lakeside VOCA",
        kind="voca",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    client = client_as("coordinator")
    assert client.get(reverse("funding:source_edit", args=[theirs.pk])).status_code == 404
    assert "Lakeside VOCA" not in client.get(reverse("funding:deposit")).content.decode()
    assert "Lakeside VOCA" not in client.get(reverse("reports:dashboard")).content.decode()
    assert client_as("other_advocate").get(reverse("funding:home")).status_code == 403
