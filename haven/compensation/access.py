"""Reaching one claim, expense or restitution order: through the cases the actor may read, so
a missing record, another agency's and one outside the caseload are the same 404. Officers,
analysts and auditors read no case, so they reach none of these."""

from django.http import Http404

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.compensation.models import Claim, ExpenseItem, RestitutionOrder
from haven.compensation.selectors import claims_visible_to, restitution_visible_to
from haven.core.actor import Actor


def access_claim(actor: Actor, claim_id, *, write: bool = False, audit: bool = True) -> Claim:
    """The claim if its case is one the actor may read (404 otherwise); with write=True the
    actor must hold case.work (403). A read is audited here (audit=False when the caller audits
    the read itself, like the packet download)."""
    try:
        claim = (
            claims_visible_to(actor)
            .select_related("case", "case__agency", "case__primary_victim", "claimant")
            .get(pk=int(claim_id))
        )
    except (Claim.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such claim.") from None
    if write:
        actor.require(Perm.CASE_WORK)
    elif audit:
        audit_record(
            actor=actor,
            action=AuditAction.COMPENSATION_VIEW,
            obj=claim,
            details={"case": claim.case_id},
        )
    return claim


def access_expense(actor: Actor, expense_id) -> ExpenseItem:
    """An expense on a claim the actor may work; 404 otherwise, 403 without case.work."""
    try:
        expense = (
            ExpenseItem.objects.filter(claim__in=claims_visible_to(actor))
            .select_related("claim", "claim__case", "claim__claimant")
            .get(pk=int(expense_id))
        )
    except (ExpenseItem.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such expense.") from None
    actor.require(Perm.CASE_WORK)
    return expense


def access_restitution(actor: Actor, order_id, *, write: bool = False) -> RestitutionOrder:
    try:
        order = restitution_visible_to(actor).select_related("case", "payee").get(pk=int(order_id))
    except (RestitutionOrder.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such restitution order.") from None
    if write:
        actor.require(Perm.CASE_WORK)
    else:
        audit_record(
            actor=actor,
            action=AuditAction.RESTITUTION_VIEW,
            obj=order,
            details={"case": order.case_id},
        )
    return order
