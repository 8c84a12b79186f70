"""Emergency financial assistance on a case: request, approve or decline, disburse, and the
receipt. A specialist requests; a supervisor who is not the requester approves or declines;
a supervisor disburses an approved request out of the fund, never beyond its balance.

Two disbursements at once cannot overdraw a fund: the balance goes down only by a
conditional update (`balance >= amount`) in the database, and the request is claimed the
same way (`status = approved`), so a second click or a second supervisor finds nothing to do.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, CaseEvent
from haven.core.actor import Actor
from haven.funding import hooks
from haven.funding.models import EmergencyFund, EmergencyRequest, Purpose, RequestStatus
from haven.funding.services import money

MAX_REQUEST = Decimal("10000")
RECEIPT_MAX_BYTES = 5 * 1024 * 1024
# What a receipt may be, by the first bytes of the file (not the name the browser sent).
RECEIPT_KINDS = {b"%PDF": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}
NOT_YOURS = "A supervisor other than the one who asked must approve this request."


def check_receipt(receipt: UploadedFile | None) -> str:
    """'' if the receipt is acceptable (or absent), else what to fix."""
    if receipt is None:
        return ""
    if receipt.size > RECEIPT_MAX_BYTES:
        size = receipt.size / (1024 * 1024)
        return f"The receipt is {size:.1f} MB: attach a file of at most 5 MB."
    head = receipt.read(8)
    receipt.seek(0)
    if not any(head.startswith(magic) for magic in RECEIPT_KINDS):
        return "Attach the receipt as a PDF, JPEG or PNG file (a photo of it will do)."
    return ""


def _event(actor: Actor, request: EmergencyRequest, kind: str) -> None:
    # Kinds outside cases.CaseEventKind show by their code (like assistance's removal).
    CaseEvent.objects.create(
        agency=request.agency,
        case=request.case,
        kind=kind,
        at=timezone.now(),
        actor=actor.membership,
        data={"summary": f"{request.get_purpose_display()}, {money(request.amount)}"},
    )


def request_create(
    *,
    actor: Actor,
    case: Case,
    fund: EmergencyFund,
    purpose: str,
    amount: Decimal,
    detail: str = "",
    receipt: UploadedFile | None = None,
) -> EmergencyRequest:
    """Ask for emergency financial assistance on an open case, out of one fund.

    Refused: without case.work; a case or fund of another agency; a closed case; an unknown
    purpose; an amount not above $0 or above $10,000; a detail over 200 characters; a receipt
    that is not a PDF, JPEG or PNG or is over 5 MB. The fund's balance is not checked here
    (money may be deposited before the request is paid); it is checked at disbursement.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    actor.require_own(fund)
    errors = {}
    if not case.is_open:
        errors["__all__"] = "This case is closed: reopen it to request assistance."
    if purpose not in Purpose.values:
        errors["purpose"] = f"Choose what it is for: {', '.join(map(str, Purpose.labels))}."
    if amount is None or not Decimal("0") < amount <= MAX_REQUEST:
        errors["amount"] = f"Give an amount above $0 and at most {money(MAX_REQUEST)}."
    detail = (detail or "").strip()
    if len(detail) > 200:
        errors["detail"] = f"Keep the detail to 200 characters (it has {len(detail)})."
    if problem := check_receipt(receipt):
        errors["receipt"] = problem
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = EmergencyRequest(
            agency=case.agency,
            case=case,
            fund=fund,
            purpose=purpose,
            amount=amount,
            detail=detail,
            requested_by=actor.membership,
        )
        if receipt is not None:
            request.receipt = receipt
        request.save()
        _event(actor, request, "emergency_requested")
        audit_record(
            actor=actor,
            action=AuditAction.EMERGENCY_REQUEST,
            obj=request,
            details={"case": case.pk, "amount": str(amount), "purpose": purpose},
        )
    return request


def may_decide(actor: Actor, request: EmergencyRequest) -> bool:
    """A supervisor or coordinator (case.assign) who did not make the request."""
    mine = actor.membership is not None and request.requested_by_id == actor.membership.pk
    return actor.has(Perm.CASE_ASSIGN) and not mine


def request_decide(
    *, actor: Actor, request: EmergencyRequest, approve: bool, note: str = ""
) -> EmergencyRequest:
    """Approve or decline a waiting request.

    Refused: without case.assign (403); by the one who asked (403: a second person approves
    money); a request already decided; declining without a reason.
    """
    actor.require(Perm.CASE_ASSIGN)
    actor.require_own(request)
    if not may_decide(actor, request):
        raise PermissionDenied(NOT_YOURS)
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": gettext("Say why the request is declined.")})
    if len(note) > 200:
        raise ValidationError({"note": gettext("Keep the note to 200 characters.")})
    status = RequestStatus.APPROVED if approve else RequestStatus.DECLINED
    with transaction.atomic():
        claimed = EmergencyRequest.objects.filter(
            pk=request.pk, status=RequestStatus.REQUESTED
        ).update(
            status=status,
            decided_by=actor.membership,
            decided_at=timezone.now(),
            decision_note=note,
        )
        if not claimed:
            raise ValidationError(gettext("This request was already decided: reload the page."))
        request.refresh_from_db()
        _event(actor, request, f"emergency_{status}")
        audit_record(
            actor=actor,
            action=AuditAction.EMERGENCY_DECIDE,
            obj=request,
            reason=note,
            details={"case": request.case_id, "status": status},
        )
    return request


def _refuse_disbursement(request: EmergencyRequest) -> None:
    request.refresh_from_db()
    if request.status == RequestStatus.DISBURSED:
        raise ValidationError(gettext("This request was already disbursed."))
    if request.status != RequestStatus.APPROVED:
        raise ValidationError(
            f"This request is {request.get_status_display().lower()}, not approved: "
            "a supervisor must approve it before it is paid."
        )


def request_disburse(*, actor: Actor, request: EmergencyRequest) -> EmergencyRequest:
    """Pay an approved request out of its fund: the balance goes down by its amount.

    Refused: without case.assign; a request not approved (waiting, declined) or already paid;
    an amount over the fund's balance (the message gives both). Safe against two at once: the
    request and the balance are each changed only by a conditional update, in one transaction.
    """
    actor.require(Perm.CASE_ASSIGN)
    actor.require_own(request)
    with transaction.atomic():
        claimed = EmergencyRequest.objects.filter(
            pk=request.pk, status=RequestStatus.APPROVED
        ).update(
            status=RequestStatus.DISBURSED,
            disbursed_by=actor.membership,
            disbursed_at=timezone.now(),
        )
        if not claimed:
            _refuse_disbursement(request)
        paid = EmergencyFund.objects.filter(pk=request.fund_id, balance__gte=request.amount).update(
            balance=F("balance") - request.amount
        )
        if not paid:
            balance = EmergencyFund.objects.get(pk=request.fund_id).balance
            raise ValidationError(
                f"The fund holds {money(balance)}; this request is {money(request.amount)}. "
                "Deposit money in the fund first, or ask for a smaller amount."
            )
        request.refresh_from_db()
        _event(actor, request, "emergency_disbursed")
        audit_record(
            actor=actor,
            action=AuditAction.EMERGENCY_DISBURSE,
            obj=request,
            details={"case": request.case_id, "amount": str(request.amount)},
        )
        hooks.disbursed(actor, request)
    return request


def receipt_attach(
    *, actor: Actor, request: EmergencyRequest, receipt: UploadedFile
) -> EmergencyRequest:
    """Attach (or replace) the receipt, often brought back after the purchase. Refused
    without case.work, and for a file that is not a PDF, JPEG or PNG of at most 5 MB."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(request)
    if receipt is None:
        raise ValidationError({"receipt": gettext("Choose the receipt file to attach.")})
    if problem := check_receipt(receipt):
        raise ValidationError({"receipt": problem})
    with transaction.atomic():
        request.receipt = receipt
        request.save(update_fields=["receipt"])
        audit_record(
            actor=actor,
            action=AuditAction.EMERGENCY_RECEIPT,
            obj=request,
            details={"case": request.case_id, "attached": True},
        )
    return request
