"""Every write of compensation claims and restitution. Each service checks permission
(case.work) and that the case is in the actor's caseload, validates with messages that say
what to fix, saves in one transaction with its audit event and case timeline line, and leaves
messages to the victim to the notices app (queued in the same transaction, sent after commit).
"""
# long: the claim's services (claim, expenses, payments, restitution), each short but one

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to
from haven.compensation import events
from haven.compensation.models import (
    APPEALABLE,
    ENDED,
    TRANSITIONS,
    Claim,
    ClaimPayment,
    ClaimStatus,
    ClaimStatusChange,
    Cooperation,
    ExpenseItem,
    RestitutionOrder,
    RestitutionPayment,
    RestitutionStatus,
)
from haven.compensation.programs import program as load_program
from haven.compensation.programs import program_codes
from haven.compensation.selectors import claim_overview, people_on_case
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.notices.services import message_queue
from haven.people.models import Person

CENT = Decimal("0.01")
AMOUNT = re.compile(r"-?\d+(\.\d{1,2})?")  # digits, at most two decimals; no exponent
DECIMALS = re.compile(r"-?\d*\.\d+")
LARGEST = Decimal("99999999.99")

# Facts a specialist may change on a claim before it is decided.
FACT_FIELDS = (
    "claimant_relation",
    "crime_date",
    "crime_type",
    "reported_on",
    "police_agency",
    "report_exception",
    "charges_filed_on",
    "cooperated",
    "incarcerated",
    "late_good_cause",
    "state_claim_number",
)


def money(value, field: str, *, allow_zero: bool = False) -> Decimal:
    """A positive amount in dollars and cents, or a ValidationError on `field` saying so."""
    text = str(value).replace(",", "").replace("$", "").strip()
    if not AMOUNT.fullmatch(text):
        if DECIMALS.fullmatch(text):
            raise ValidationError(
                {field: gettext("Enter dollars and cents, at most two decimals.")}
            )
        raise ValidationError({field: f"Enter an amount like 1250.00, not {value!r}."})
    amount = Decimal(text)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: gettext("Enter an amount greater than zero.")})
    if amount > LARGEST:
        raise ValidationError({field: gettext("That amount is too large: check it.")})
    return amount.quantize(CENT)


def _require_case(actor: Actor, case: Case) -> None:
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("That case is outside your caseload.")


def _not_future(day: date | None, field: str, what: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: f"The {what} cannot be in the future."})


def _validate_facts(claim: Claim) -> None:
    prog = load_program(claim.program)
    errors: dict[str, str] = {}
    if claim.claimant_relation not in prog.relations:
        errors["claimant_relation"] = "Choose how the claimant relates to the crime."
    if claim.crime_type and claim.crime_type not in prog.crime_types:
        errors["crime_type"] = "Choose a crime from the program's list."
    if claim.report_exception and claim.report_exception not in prog.exceptions:
        errors["report_exception"] = "Choose an exception from the program's list."
    if claim.cooperated not in Cooperation.values:
        errors["cooperated"] = "Choose yes, no or not known yet."
    today = timezone.localdate()
    for name, what in (
        ("crime_date", "crime date"),
        ("reported_on", "police report date"),
        ("charges_filed_on", "charge date"),
    ):
        if getattr(claim, name) and getattr(claim, name) > today:
            errors[name] = f"The {what} cannot be in the future."
    if claim.crime_date and claim.reported_on and claim.reported_on < claim.crime_date:
        errors["reported_on"] = "The police report date is before the crime date: check both."
    if claim.crime_date and claim.crime_date < prog.base_from:
        errors["crime_date"] = (
            f"{prog.name} has no rules in Haven for crimes before {prog.base_from:%b %-d, %Y}."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def claim_create(
    *,
    actor: Actor,
    case: Case,
    claimant: Person,
    claimant_relation: str,
    crime_date: date,
    program: str = "illinois",
    **facts,
) -> Claim:
    """Start a claim (a draft) for someone on the case. Refused without case.work, outside the
    actor's caseload, for an ended case, for a person not on the case, an unknown program, and
    facts the program does not know (see _validate_facts)."""
    _require_case(actor, case)
    actor.require_own(claimant)
    if not case.is_open:
        raise ValidationError(gettext("This case has ended. Reopen it to start a claim."))
    if claimant.pk not in {p.pk for p, _ in people_on_case(case)}:
        raise ValidationError(
            {"claimant": gettext("The claimant must be the victim or someone on the case.")}
        )
    if program not in program_codes():
        raise ValidationError({"program": f"Unknown program {program!r}."})
    unknown = set(facts) - set(FACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown claim facts {sorted(unknown)}")
    claim = Claim(
        agency=case.agency,
        case=case,
        claimant=claimant,
        claimant_relation=claimant_relation,
        program=program,
        crime_date=crime_date,
        created_by=actor.membership,
        **facts,
    )
    claim.full_clean(exclude=["agency", "case", "claimant", "created_by"])
    _validate_facts(claim)
    claim.save()
    ClaimStatusChange.objects.create(
        agency=case.agency,
        claim=claim,
        to_status=ClaimStatus.DRAFT,
        by=actor.membership,
        by_label=actor.label,
    )
    events.claim_started(actor, claim)
    audit_record(
        actor=actor,
        action=AuditAction.COMPENSATION_CREATE,
        obj=claim,
        details={"case": case.pk, "person": claimant.pk, "program": program},
    )
    return claim


@transaction.atomic
def claim_update(*, actor: Actor, claim: Claim, version: int | None = None, **facts) -> Claim:
    """Change the claim's facts (FACT_FIELDS). Refused once the claim is decided or ended: an
    appeal, not an edit, changes a decided claim; and if it was saved since `version`
    (StaleEdit, nothing written)."""
    _require_case(actor, claim.case)
    unknown = set(facts) - set(FACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown claim facts {sorted(unknown)}")
    claim.refresh_from_db()
    check_version(claim, version)
    if claim.status in ENDED or claim.decided_on:
        raise ValidationError(
            gettext("This claim is decided or ended: its facts can no longer change.")
        )
    changed = [name for name, value in facts.items() if getattr(claim, name) != value]
    for name in changed:
        setattr(claim, name, facts[name])
    claim.full_clean(exclude=["agency", "case", "claimant", "created_by"])
    _validate_facts(claim)
    if changed:
        save_versioned(claim, version=version, fields=changed)
        audit_record(
            actor=actor,
            action=AuditAction.COMPENSATION_UPDATE,
            obj=claim,
            details={"case": claim.case_id, "fields": sorted(changed)},
        )
    return claim


# long: one guarded status move: each transition's own checks and history row side by side
@transaction.atomic
def claim_set_status(
    *,
    actor: Actor,
    claim: Claim,
    to_status: str,
    note: str = "",
    on: date | None = None,
    award_amount=None,
    state_claim_number: str = "",
    notify: bool = False,
) -> ClaimStatusChange:
    """Move the claim along TRANSITIONS, with who, when and why in its history.

    `on` is the day it happened: the filing date for filed, the decision date for awarded,
    partially awarded, denied and appeal decided (today when not given). Refused: a move
    TRANSITIONS does not allow; ready without a crime type or an expense; a date in the future
    or before the crime; an award without an amount, or above the maximum award for the crime
    date; an appeal after the window without a note saying why it is still allowed.
    With `notify`, the claimant is sent a "compensation_status" message.
    """
    _require_case(actor, claim.case)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    to_status = ClaimStatus(to_status) if to_status in ClaimStatus.values else None
    if to_status is None or to_status not in TRANSITIONS[claim.status]:
        allowed = ", ".join(s.label.lower() for s in ClaimStatus if s in TRANSITIONS[claim.status])
        raise ValidationError(
            {
                "to_status": f"A {claim.get_status_display().lower()} claim can move to: "
                f"{allowed or 'nothing (it has ended)'}."
            }
        )
    note = note.strip()
    if len(note) > 1000:
        raise ValidationError({"note": gettext("Keep the note to 1000 characters.")})
    on = on or timezone.localdate()
    _not_future(on, "on", "date")
    if on < claim.crime_date:
        raise ValidationError({"on": gettext("That date is before the crime: check it.")})
    overview = claim_overview(claim)
    fields = ["status", "status_changed_at"]
    if to_status == ClaimStatus.READY:
        missing = []
        if not claim.crime_type:
            missing.append("the crime type")
        if not overview.totals.categories:
            missing.append("at least one expense")
        if missing:
            raise ValidationError(
                {"to_status": f"Before the claim is ready, record {' and '.join(missing)}."}
            )
    if to_status == ClaimStatus.FILED:
        claim.filed_on = on
        fields.append("filed_on")
    if state_claim_number.strip():
        claim.state_claim_number = state_claim_number.strip()[:40]
        fields.append("state_claim_number")
    if to_status in (ClaimStatus.AWARDED, ClaimStatus.PARTIAL) or (
        to_status == ClaimStatus.APPEAL_DECIDED and award_amount not in (None, "")
    ):
        if award_amount in (None, ""):
            raise ValidationError({"award_amount": gettext("Enter the amount awarded.")})
        # Nothing awarded is a denial, not a partial award; only an appeal may end at zero.
        amount = money(
            award_amount, "award_amount", allow_zero=to_status == ClaimStatus.APPEAL_DECIDED
        )
        if amount > overview.rules.maximum_award:
            raise ValidationError(
                {
                    "award_amount": f"${amount:,.2f} is more than the maximum award "
                    f"(${overview.rules.maximum_award:,.2f}) for a crime on this date: check it."
                }
            )
        claim.award_amount = amount
        fields.append("award_amount")
    if to_status == ClaimStatus.DENIED:
        claim.award_amount = Decimal("0.00")
        fields.append("award_amount")
    if to_status in (
        ClaimStatus.AWARDED,
        ClaimStatus.PARTIAL,
        ClaimStatus.DENIED,
        ClaimStatus.APPEAL_DECIDED,
    ):
        if claim.filed_on and on < claim.filed_on:
            raise ValidationError({"on": gettext("The decision date is before the filing date.")})
        claim.decided_on = on
        fields.append("decided_on")
    if to_status == ClaimStatus.APPEAL_FILED and claim.status in APPEALABLE:
        window_end = overview.appeal_deadline
        if window_end and on > window_end and not note:
            raise ValidationError(
                {
                    "note": f"The appeal window closed on {window_end:%b %-d, %Y}: write in "
                    "the note why the appeal is still accepted."
                }
            )
    before = claim.status
    claim.status = to_status
    claim.status_changed_at = timezone.now()
    claim.save(update_fields=fields)
    change = ClaimStatusChange.objects.create(
        agency=claim.agency,
        claim=claim,
        from_status=before,
        to_status=to_status,
        note=note,
        by=actor.membership,
        by_label=actor.label,
    )
    events.claim_status_changed(actor, claim, change)
    audit_record(
        actor=actor,
        action=AuditAction.COMPENSATION_STATUS,
        obj=claim,
        details={
            "case": claim.case_id,
            "from": before,
            "to": to_status.value,
            "on": on.isoformat(),
            "award": str(claim.award_amount) if claim.award_amount is not None else None,
            "notify": notify,
        },
    )
    if notify:
        facts = {
            "program": overview.program.name,
            "status": _status_sentence(claim, to_status),
            "claim_number": claim.state_claim_number,
            "next_step": _next_step(claim, to_status, overview.rules.appeal_days),
            "on": on,
        }
        message_queue(
            actor=actor,
            case=claim.case,
            person=claim.claimant,
            template="compensation_status",
            facts=facts,
            dedupe_key=f"compensation-status:{change.pk}",
            source=f"compensation.claim:{claim.pk}",
        )
        change.notified = True
        change.save(update_fields=["notified"])
    return change


def _status_sentence(claim: Claim, status: ClaimStatus) -> str:
    if status in (ClaimStatus.AWARDED, ClaimStatus.PARTIAL) and claim.award_amount is not None:
        return f"{status.label}: ${claim.award_amount:,.2f}"
    return status.label


def _next_step(claim: Claim, status: ClaimStatus, appeal_days: int) -> str:
    if status in APPEALABLE and claim.decided_on:
        last = claim.decided_on + timedelta(days=appeal_days)
        return f"If you disagree, you may ask for a hearing until {last:%B %-d, %Y}."
    if status == ClaimStatus.READY:
        return "Sign the application and send it with the documents on the checklist."
    return ""


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
    _require_case(actor, claim.case)
    _open_for_expenses(claim)
    prog = load_program(claim.program)
    if category not in prog.categories:
        raise ValidationError({"category": gettext("Choose a category the program covers.")})
    amount = money(amount, "amount")
    _not_future(incurred_on, "incurred_on", "expense date")
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
    _require_case(actor, claim.case)
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
    _require_case(actor, claim.case)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if not claim.award_amount:
        raise ValidationError(gettext("Record the award before its payments."))
    amount = money(amount, "amount")
    _not_future(paid_on, "paid_on", "payment date")
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


def claim_packet(*, actor: Actor, claim: Claim, language: str = "") -> bytes:
    """The filled application packet (PDF), audited as a download. Refused without
    case.documents (a volunteer: the packet carries the victim's data out of Haven)."""
    from haven.compensation.packet import packet_pdf

    actor.require(Perm.CASE_VIEW)
    actor.require(Perm.CASE_DOCUMENTS)
    actor.require_own(claim)
    with transaction.atomic():
        data, used = packet_pdf(claim, language=language or claim.claimant.preferred_language)
        audit_record(
            actor=actor,
            action=AuditAction.COMPENSATION_PACKET,
            obj=claim,
            details={"case": claim.case_id, "language": used},
        )
    return data


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
    _require_case(actor, case)
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
    _not_future(ordered_on, "ordered_on", "order date")
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


# long: a payment's checks against the order's balance before one audited write
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
    _require_case(actor, order.case)
    order = RestitutionOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != RestitutionStatus.OPEN:
        raise ValidationError(f"This order is {order.get_status_display().lower()}.")
    amount = money(amount, "amount")
    _not_future(paid_on, "paid_on", "payment date")
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
        message_queue(
            actor=actor,
            case=order.case,
            person=order.payee,
            template="restitution_payment",
            facts={
                "amount": f"${amount:,.2f}",
                "paid_on": paid_on,
                "when": paid_on,  # the name the notices template uses
                "balance": f"${order.balance:,.2f}",
            },
            dedupe_key=f"restitution-payment:{payment.pk}",
            source=f"compensation.restitution:{order.pk}",
        )
    return payment


@transaction.atomic
def restitution_close(*, actor: Actor, order: RestitutionOrder, reason: str) -> RestitutionOrder:
    """Close an order that will not be paid (vacated, the defendant died...), with the reason."""
    _require_case(actor, order.case)
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
