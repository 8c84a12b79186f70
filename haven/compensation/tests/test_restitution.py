from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from haven.audit.models import AuditAction
from haven.cases.models import CaseEvent
from haven.compensation.models import RestitutionStatus
from haven.compensation.services import restitution_close, restitution_payment_record
from haven.compensation.tests.conftest import days_ago
from haven.notices.models import Message

pytestmark = pytest.mark.django_db


def pay(alice, order, amount, **extra):
    return restitution_payment_record(
        actor=alice, order=order, paid_on=days_ago(1), amount=amount, **extra
    )


def test_a_payment_lowers_the_balance_and_tells_the_victim_once(alice, order, new_audit_events):
    payment = pay(alice, order, "100.00")
    order.refresh_from_db()
    assert order.balance == Decimal("900.00") and payment.balance_after == Decimal("900.00")
    messages = Message.objects.filter(person=order.payee, template="restitution_payment")
    assert messages.exists()
    assert {m.dedupe_key for m in messages} == {f"restitution-payment:{payment.pk}"}
    assert messages.first().facts["balance"] == "$900.00"
    [event] = new_audit_events(action=AuditAction.RESTITUTION_PAYMENT)
    assert event.details == {"order": order.pk, "amount": "100.00", "balance": "900.00"}


def test_paying_the_balance_exactly_marks_the_order_paid(alice, order):
    pay(alice, order, "999.99")
    pay(alice, order, "0.01")
    order.refresh_from_db()
    assert order.status == RestitutionStatus.PAID and order.balance == 0
    with pytest.raises(ValidationError, match="paid in full"):
        pay(alice, order, "0.01")


def test_one_cent_over_the_balance_is_refused(alice, order):
    with pytest.raises(ValidationError, match=r"More than the balance of \$1,000.00"):
        pay(alice, order, "1000.01")
    order.refresh_from_db()
    assert order.paid_total == 0 and not order.payments.exists()


def test_a_payment_before_the_order_is_refused(alice, order):
    with pytest.raises(ValidationError, match="before the order"):
        restitution_payment_record(actor=alice, order=order, paid_on=days_ago(31), amount="10.00")


def test_the_victim_need_not_be_told(alice, order):
    pay(alice, order, "10.00", notify=False)
    assert not Message.objects.filter(template="restitution_payment").exists()


def test_an_order_closed_unpaid_needs_a_reason_and_takes_no_payments(alice, order):
    with pytest.raises(ValidationError, match="Say why"):
        restitution_close(actor=alice, order=order, reason=" ")
    restitution_close(actor=alice, order=order, reason="Order vacated on appeal")
    order.refresh_from_db()
    assert order.status == RestitutionStatus.CLOSED
    summaries = [e.data.get("summary", "") for e in CaseEvent.objects.filter(case=order.case)]
    assert any("closed unpaid" in summary for summary in summaries)
    with pytest.raises(ValidationError):
        pay(alice, order, "10.00")


def test_the_restitution_page_records_a_payment(client_as, order):
    from django.urls import reverse

    client = client_as("advocate")
    assert client.get(reverse("compensation:restitution", args=[order.pk])).status_code == 200
    response = client.post(
        reverse("compensation:restitution_payment", args=[order.pk]),
        {"paid_on": days_ago(2).isoformat(), "amount": "250", "received_from": "Clerk"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.balance == Decimal("750.00")
