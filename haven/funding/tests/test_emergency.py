"""Emergency financial assistance: request, approval by another supervisor, disbursement within
the fund's balance, the receipt, and the PMT service a disbursement records."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.assistance.models import ServiceProvided
from haven.audit.models import AuditAction
from haven.cases.services import case_change_status
from haven.cases.testing import make_member
from haven.core.actor import Actor
from haven.core.roles import Role
from haven.documents.models import Document
from haven.documents.storage import blob_read, blob_token
from haven.funding.emergency import (
    receipt_attach,
    request_create,
    request_decide,
    request_disburse,
)
from haven.funding.models import EmergencyFund, EmergencyRequest, FundDeposit, RequestStatus
from haven.funding.tests.conftest import PNG, receipt

pytestmark = pytest.mark.django_db


def ask(actor, case, fund, amount="120", **extra):
    fields = {"purpose": "lodging", "detail": "Two nights, motel"} | extra
    return request_create(actor=actor, case=case, fund=fund, amount=Decimal(amount), **fields)


def balance(fund) -> Decimal:
    return EmergencyFund.objects.get(pk=fund.pk).balance


def test_a_request_is_recorded_waiting_with_its_receipt(cast, alice, fund, new_audit_events):
    found = ask(alice, cast.case_a, fund, receipt=receipt())

    found.refresh_from_db()
    assert found.status == RequestStatus.REQUESTED
    assert found.requested_by == cast.advocate and found.amount == Decimal("120")
    document = found.receipt_document
    assert (document.kind, document.visibility, document.case) == (
        "receipt",
        "privileged",
        cast.case_a,
    )
    assert blob_read(document.blob).startswith(b"\x89PNG")
    assert not blob_token(document.blob).startswith(b"\x89PNG")  # encrypted at rest
    assert "receipt" not in document.blob  # stored under a random name
    assert [e.action for e in new_audit_events(action=AuditAction.EMERGENCY_REQUEST)] == [
        AuditAction.EMERGENCY_REQUEST
    ]
    assert [e.object_id for e in new_audit_events(action=AuditAction.DOCUMENT_UPLOAD)] == [
        str(document.pk)
    ]


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"amount": "0"}, "amount", "above $0"),
        ({"amount": "10000.01"}, "amount", "at most $10,000.00"),
        ({"purpose": "rent"}, "purpose", "Choose what it is for"),
        ({"detail": "x" * 201}, "detail", "200 characters"),
        ({"receipt": receipt(b"MZ\x90\x00 not a picture", "r.exe")}, "receipt", "Windows"),
        ({"receipt": receipt(b"", "r.pdf")}, "receipt", "is empty"),
        ({"receipt": receipt(b"%PDF-" + b"0" * 2048, "r.pdf")}, "receipt", "the limit is"),
        ({"receipt": receipt(PNG, "..\\etc\\r.png")}, "receipt", "points to a folder"),
    ],
)
def test_bad_requests_are_refused_saying_what_to_fix(
    cast, alice, fund, settings, fields, field, says
):
    settings.DOCUMENT_MAX_BYTES = 1024
    amount = fields.pop("amount", "120")
    with pytest.raises(ValidationError) as refused:
        ask(alice, cast.case_a, fund, amount=amount, **fields)
    assert says in refused.value.message_dict[field][0]
    assert not EmergencyRequest.objects.exists() and not Document.objects.exists()
    assert not list((settings.MEDIA_ROOT).rglob("*.*"))  # no file stored either


def test_a_request_on_a_closed_case_is_refused(cast, alice, sam, fund):
    case_change_status(actor=sam, case=cast.case_a, status="closed", reason="services_completed")
    with pytest.raises(ValidationError, match="case is closed"):
        ask(alice, cast.case_a, fund)


def test_the_requester_may_not_approve_their_own_request(cast, sam, fund):
    found = ask(sam, cast.case_a, fund)
    with pytest.raises(PermissionDenied, match="other than the one who asked"):
        request_decide(actor=sam, request=found, approve=True)
    assert EmergencyRequest.objects.get(pk=found.pk).status == RequestStatus.REQUESTED


@pytest.mark.parametrize("role", ["advocate2", "analyst", "officer"])
def test_only_a_supervisor_or_coordinator_approves(cast, alice, fund, role):
    found = ask(alice, cast.case_a, fund)
    with pytest.raises(PermissionDenied):
        request_decide(actor=cast.actor(role), request=found, approve=True)


def test_declining_needs_a_reason_and_a_declined_request_is_never_paid(cast, alice, sam, fund):
    found = ask(alice, cast.case_a, fund)
    with pytest.raises(ValidationError, match="Say why"):
        request_decide(actor=sam, request=found, approve=False)
    request_decide(actor=sam, request=found, approve=False, note="Shelter bed found instead")
    with pytest.raises(ValidationError, match="declined, not approved"):
        request_disburse(actor=sam, request=found)
    with pytest.raises(ValidationError, match="already decided"):
        request_decide(actor=sam, request=found, approve=True)
    assert balance(fund) == Decimal("500")


def test_a_disbursement_without_approval_is_refused(cast, alice, sam, fund):
    found = ask(alice, cast.case_a, fund)
    with pytest.raises(ValidationError, match="requested, not approved: a supervisor must"):
        request_disburse(actor=sam, request=found)
    assert balance(fund) == Decimal("500")
    assert EmergencyRequest.objects.get(pk=found.pk).status == RequestStatus.REQUESTED


def test_an_approved_request_is_paid_and_recorded_as_the_pmt_service_c7(
    cast, alice, sam, cora, fund, voca
):
    found = ask(alice, cast.case_a, fund, amount="120.50")
    request_decide(actor=sam, request=found, approve=True)
    request_disburse(actor=cora, request=found)

    found.refresh_from_db()
    assert found.status == RequestStatus.DISBURSED and found.disbursed_by == cast.coordinator
    assert balance(fund) == Decimal("379.50")
    (service,) = ServiceProvided.objects.filter(case=cast.case_a, sub_service="C7")
    assert service.category == "C" and service.funding_source == voca
    assert service.person == cast.case_a.primary_victim and service.provided_by == cast.advocate
    with pytest.raises(ValidationError, match="already disbursed"):
        request_disburse(actor=cora, request=found)
    assert balance(fund) == Decimal("379.50")


def test_a_disbursement_over_the_balance_is_refused_with_both_amounts(cast, alice, sam, fund):
    found = ask(alice, cast.case_a, fund, amount="600")
    request_decide(actor=sam, request=found, approve=True)
    with pytest.raises(ValidationError) as refused:
        request_disburse(actor=sam, request=found)
    assert "The fund holds $500.00; this request is $600.00" in refused.value.messages[0]
    assert balance(fund) == Decimal("500")
    assert EmergencyRequest.objects.get(pk=found.pk).status == RequestStatus.APPROVED
    assert not ServiceProvided.objects.filter(sub_service="C7").exists()


def test_the_balance_is_always_deposits_minus_disbursements(cast, alice, sam, cora, fund):
    paid = []
    for amount in ("100", "250", "149.99", "0.02"):
        found = ask(alice, cast.case_a, fund, amount=amount)
        request_decide(actor=sam, request=found, approve=True)
        try:
            request_disburse(actor=cora, request=found)
            paid.append(Decimal(amount))
        except ValidationError:
            pass
    deposits = sum(d.amount for d in FundDeposit.objects.filter(fund=fund))
    assert paid == [Decimal("100"), Decimal("250"), Decimal("149.99")]
    assert balance(fund) == deposits - sum(paid) == Decimal("0.01")


def test_a_receipt_is_attached_later_and_checked(cast, alice, fund):
    found = ask(alice, cast.case_a, fund)
    with pytest.raises(ValidationError, match="HTML|web page|Haven keeps"):
        receipt_attach(actor=alice, request=found, receipt=receipt(b"<html>x</html>", "a.txt"))
    assert not Document.objects.exists()
    receipt_attach(actor=alice, request=found, receipt=receipt(b"%PDF-1.7 ...", "r.pdf"))
    document = EmergencyRequest.objects.get(pk=found.pk).receipt_document
    assert blob_read(document.blob).startswith(b"%PDF")


def test_a_volunteer_may_not_attach_a_receipt_and_nothing_is_stored(cast, fund):
    volunteer = make_member(cast.agency_a, "val", Role.VOLUNTEER, full_name="Val Vance")
    val = Actor.for_membership(volunteer, ip="127.0.0.1", user_agent="pytest")
    with pytest.raises(ValidationError, match="ask a specialist") as refused:
        ask(val, cast.case_a, fund, receipt=receipt())
    assert "receipt" in refused.value.message_dict
    assert not EmergencyRequest.objects.exists() and not Document.objects.exists()


def test_another_agencys_fund_or_case_is_refused(cast, alice, charlie, fund):
    with pytest.raises(PermissionDenied):
        ask(charlie, cast.case_b, fund)
    with pytest.raises(PermissionDenied):
        ask(alice, cast.case_b, fund)
