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
from haven.documents.models import DocumentKind
from haven.documents.services import document_upload
from haven.funding import hooks
from haven.funding.models import EmergencyFund, EmergencyRequest, Purpose, RequestStatus
from haven.funding.services import money

MAX_REQUEST = Decimal("10000")
NOT_YOURS = "A supervisor other than the one who asked must approve this request."


def _store_receipt(actor: Actor, request: EmergencyRequest, receipt: UploadedFile) -> None:
    """Keep the receipt as a privileged document of kind receipt on the request's case
    (haven.documents: encrypted, audited, backed up, purged with the case) and point the
    request at it. The documents service refuses a file of a type it does not keep, an empty
    one, one over its limit or one whose name tries a path, storing nothing; its message is
    shown on the receipt field."""
    if not actor.has(Perm.NOTE_PRIVILEGED):
        raise ValidationError(
            {
                "receipt": gettext(
                    "A receipt is kept for victim services staff only: "
                    "ask a specialist to attach it."
                )
            }
        )
    try:
        document = document_upload(
            actor=actor,
            file=receipt,
            name=receipt.name or "receipt",
            kind=DocumentKind.RECEIPT,
            case=request.case,
            description=f"Emergency assistance request {request.pk}",
        )
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        raise ValidationError(
            {"receipt": [m for found in messages.values() for m in found]}
        ) from None
    request.receipt_document = document
    request.save(update_fields=["receipt_document"])


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
    the documents service refuses, or one from a member who may not attach privileged
    documents (a volunteer): then nothing is stored. The fund's balance is not checked here
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
        request.save()
        _event(actor, request, "emergency_requested")
        audit_record(
            actor=actor,
            action=AuditAction.EMERGENCY_REQUEST,
            obj=request,
            details={"case": case.pk, "amount": str(amount), "purpose": purpose},
        )
        if receipt is not None:
            _store_receipt(actor, request, receipt)
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
    without case.work, and as request_create refuses a receipt. A replaced receipt stays a
    document on the case (deleted, if it must be, from its page with a reason)."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(request)
    if receipt is None:
        raise ValidationError({"receipt": gettext("Choose the receipt file to attach.")})
    with transaction.atomic():
        _store_receipt(actor, request, receipt)
        audit_record(
            actor=actor,
            action=AuditAction.EMERGENCY_RECEIPT,
            obj=request,
            details={"case": request.case_id, "document": request.receipt_document_id},
        )
    return request
