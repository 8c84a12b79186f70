"""Restitution a court ordered: the order, the payments the clerk passes on (the payee told of
each), and closing an order that will not be paid."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.compensation import events
from haven.compensation.models import (
    RestitutionOrder,
    RestitutionPayment,
    RestitutionStatus,
)
from haven.compensation.selectors import people_on_case
from haven.compensation.services.checks import money, not_future, require_case
from haven.core.actor import Actor
from haven.notices.services import message_queue
from haven.people.models import Person


@transaction.atomic
def restitution_order_create(
    *,
    actor: Actor,
    case: Case,
    payee: Person,
    court_case_number: str,
    amount,
    ordered_on: date,
    payer_name: str,
    schedule_note: str = "",
) -> RestitutionOrder:
    """Record a court's restitution order. Refused without case.work, outside the caseload,
    for a payee not on the case, without a court case number or payer, with an amount that is
    not positive dollars and cents, or an order date in the future."""
    require_case(actor, case)
    actor.require_own(payee)
    if payee.pk not in {p.pk for p, _ in people_on_case(case)}:
        raise ValidationError(
            {"payee": gettext("The payee must be the victim or someone on the case.")}
        )
    errors = {}
    if not court_case_number.strip():
        errors["court_case_number"] = "Enter the court case number from the order."
    if not payer_name.strip():
        errors["payer_name"] = "Enter the name of the defendant ordered to pay."
    if errors:
        raise ValidationError(errors)
    amount = money(amount, "amount")
    not_future(ordered_on, "ordered_on", "order date")
    order = RestitutionOrder(
        agency=case.agency,
        case=case,
        payee=payee,
        court_case_number=court_case_number.strip(),
        amount=amount,
        ordered_on=ordered_on,
        payer_name=payer_name.strip(),
        schedule_note=schedule_note.strip(),
        created_by=actor.membership,
    )
    order.full_clean(exclude=["agency", "case", "payee", "created_by"])
    order.save()
    events.restitution_ordered(actor, order)
    audit_record(
        actor=actor,
        action=AuditAction.RESTITUTION_ORDER,
        obj=order,
        details={"case": case.pk, "amount": str(amount)},
    )
    return order


@transaction.atomic
def restitution_payment_record(
    *,
    actor: Actor,
    order: RestitutionOrder,
    paid_on: date,
    amount,
    received_from: str = "Clerk of the Circuit Court",
    notify: bool = True,
) -> RestitutionPayment:
    """Record a payment passed on by the clerk; the balance drops and, at zero, the order is
    paid in full. The payee is told of each payment (notices' "restitution_payment", once per
    payment). Refused on a closed or fully paid order, for more than the balance, a date in the
    future or before the order."""
    require_case(actor, order.case)
    order = RestitutionOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != RestitutionStatus.OPEN:
        raise ValidationError(f"This order is {order.get_status_display().lower()}.")
    amount = money(amount, "amount")
    not_future(paid_on, "paid_on", "payment date")
    if paid_on < order.ordered_on:
        raise ValidationError(
            {"paid_on": gettext("The payment is dated before the order: check it.")}
        )
    if amount > order.balance:
        raise ValidationError(
            {"amount": f"More than the balance of ${order.balance:,.2f}: check the amount."}
        )
    RestitutionOrder.objects.filter(pk=order.pk).update(paid_total=F("paid_total") + amount)
    order.refresh_from_db(fields=["paid_total"])
    fields = []
    if order.balance == 0:
        order.status = RestitutionStatus.PAID
        fields.append("status")
        order.save(update_fields=fields)
    payment = RestitutionPayment.objects.create(
        agency=order.agency,
        order=order,
        paid_on=paid_on,
        amount=amount,
        received_from=(received_from or "").strip()[:120] or "Clerk of the Circuit Court",
        balance_after=order.balance,
        recorded_by=actor.membership,
    )
    events.restitution_paid(actor, order, payment)
    audit_record(
        actor=actor,
        action=AuditAction.RESTITUTION_PAYMENT,
        obj=payment,
        details={"order": order.pk, "amount": str(amount), "balance": str(order.balance)},
    )
    if notify:
        _tell_payee(actor, order, payment)
    return payment


def _tell_payee(actor: Actor, order: RestitutionOrder, payment: RestitutionPayment) -> None:
    """Queue the "restitution_payment" message to the payee, once per payment."""
    message_queue(
        actor=actor,
        case=order.case,
        person=order.payee,
        template="restitution_payment",
        facts={
            "amount": f"${payment.amount:,.2f}",
            "paid_on": payment.paid_on,
            "when": payment.paid_on,  # the name the notices template uses
            "balance": f"${order.balance:,.2f}",
        },
        dedupe_key=f"restitution-payment:{payment.pk}",
        source=f"compensation.restitution:{order.pk}",
    )


@transaction.atomic
def restitution_close(*, actor: Actor, order: RestitutionOrder, reason: str) -> RestitutionOrder:
    """Close an order that will not be paid (vacated, the defendant died...), with the reason."""
    require_case(actor, order.case)
    if order.status != RestitutionStatus.OPEN:
        raise ValidationError(f"This order is already {order.get_status_display().lower()}.")
    if not reason.strip():
        raise ValidationError({"reason": gettext("Say why the order is closed unpaid.")})
    order.status = RestitutionStatus.CLOSED
    order.save(update_fields=["status"])
    events.restitution_closed(actor, order)
    audit_record(
        actor=actor,
        action=AuditAction.RESTITUTION_STATUS,
        obj=order,
        reason=reason.strip()[:300],
        details={"case": order.case_id, "status": order.status},
    )
    return order
