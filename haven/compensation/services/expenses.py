"""What a claim asks for and what the program paid: expenses, their documents and awards, and
the program's payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.compensation import events
from haven.compensation.models import (
    ENDED,
    Claim,
    ClaimPayment,
    ExpenseItem,
)
from haven.compensation.programs import program as load_program
from haven.compensation.services.checks import money, not_future, require_case
from haven.core.actor import Actor


def _validate_documents(claim: Claim, category: str, documents) -> list[str]:
    prog = load_program(claim.program)
    wanted = prog.categories[category].documents
    documents = list(dict.fromkeys(documents or []))
    stray = [d for d in documents if d not in wanted]
    if stray:
        raise ValidationError(
            {"documents_received": f"Not a document this category needs: {', '.join(stray)}."}
        )
    return documents


def _open_for_expenses(claim: Claim) -> None:
    # The status as stored now: the caller's object may predate a move.
    claim.refresh_from_db(fields=["status"])
    if claim.status in ENDED:
        raise ValidationError(gettext("This claim has ended: its expenses can no longer change."))


@transaction.atomic
def expense_add(
    *,
    actor: Actor,
    claim: Claim,
    category: str,
    amount,
    incurred_on: date,
    provider: str = "",
    description: str = "",
    months: int | None = None,
    documents_received=(),
) -> ExpenseItem:
    """Add an expense to the claim. Refused: an ended claim, a category the program does not
    cover, an amount that is not positive dollars and cents, a date in the future or before
    the crime, months on a category not capped per month (or missing months on one that is,
    which only warns: the specialist may not know them yet)."""
    require_case(actor, claim.case)
    _open_for_expenses(claim)
    prog = load_program(claim.program)
    if category not in prog.categories:
        raise ValidationError({"category": gettext("Choose a category the program covers.")})
    amount = money(amount, "amount")
    not_future(incurred_on, "incurred_on", "expense date")
    if incurred_on < claim.crime_date:
        raise ValidationError(
            {"incurred_on": gettext("The expense is dated before the crime: check it.")}
        )
    if months is not None and not prog.categories[category].monthly_cap:
        raise ValidationError(
            {"months": gettext("Months apply only to loss of earnings or support.")}
        )
    if months is not None and not 1 <= months <= 120:
        raise ValidationError({"months": gettext("Enter the number of months, 1 to 120.")})
    item = ExpenseItem(
        agency=claim.agency,
        claim=claim,
        category=category,
        amount=amount,
        incurred_on=incurred_on,
        provider=provider.strip(),
        description=description.strip(),
        months=months,
        documents_received=_validate_documents(claim, category, documents_received),
    )
    item.full_clean(exclude=["agency", "claim"])
    item.save()
    audit_record(
        actor=actor,
        action=AuditAction.COMPENSATION_EXPENSE,
        obj=item,
        details={"claim": claim.pk, "category": category, "amount": str(amount), "added": True},
    )
    return item


@transaction.atomic
def expense_update(
    *,
    actor: Actor,
    expense: ExpenseItem,
    documents_received=None,
    amount_awarded=None,
) -> ExpenseItem:
    """Tick the documents received, or record what the program awarded for the expense (no
    more than was claimed). Refused on an ended claim."""
    claim = expense.claim
    require_case(actor, claim.case)
    _open_for_expenses(claim)
    fields = []
    if documents_received is not None:
        expense.documents_received = _validate_documents(
            claim, expense.category, documents_received
        )
        fields.append("documents_received")
    if amount_awarded not in (None, ""):
        awarded = money(amount_awarded, "amount_awarded", allow_zero=True)
        if awarded > expense.amount:
            raise ValidationError(
                {"amount_awarded": f"More than the ${expense.amount:,.2f} claimed: check it."}
            )
        expense.amount_awarded = awarded
        fields.append("amount_awarded")
    if fields:
        expense.save(update_fields=fields)
        audit_record(
            actor=actor,
            action=AuditAction.COMPENSATION_EXPENSE,
            obj=expense,
            details={"claim": claim.pk, "fields": fields},
        )
    return expense


@transaction.atomic
def claim_payment_record(
    *, actor: Actor, claim: Claim, paid_on: date, amount, payee: str, category: str = ""
) -> ClaimPayment:
    """Record a payment the program made. Refused before an award, for payments that would
    total more than the award, a date in the future or before the decision."""
    require_case(actor, claim.case)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if not claim.award_amount:
        raise ValidationError(gettext("Record the award before its payments."))
    amount = money(amount, "amount")
    not_future(paid_on, "paid_on", "payment date")
    if claim.decided_on and paid_on < claim.decided_on:
        raise ValidationError(
            {"paid_on": gettext("The payment is dated before the decision: check it.")}
        )
    if not payee.strip():
        raise ValidationError({"payee": gettext("Say who was paid: the claimant or a provider.")})
    if category and category not in load_program(claim.program).categories:
        raise ValidationError({"category": gettext("Choose a category the program covers.")})
    paid = sum((p.amount for p in claim.payments.all()), Decimal("0.00"))
    if paid + amount > claim.award_amount:
        raise ValidationError(
            {
                "amount": f"Payments would total ${paid + amount:,.2f}, more than the award of "
                f"${claim.award_amount:,.2f}: check the amount."
            }
        )
    payment = ClaimPayment.objects.create(
        agency=claim.agency,
        claim=claim,
        paid_on=paid_on,
        amount=amount,
        payee=payee.strip()[:200],
        category=category,
    )
    events.claim_paid(actor, claim, payment)
    audit_record(
        actor=actor,
        action=AuditAction.COMPENSATION_PAYMENT,
        obj=payment,
        details={"claim": claim.pk, "amount": str(amount)},
    )
    return payment
