"""Case timeline lines for compensation and restitution, written inside the services'
transactions. Amounts and statuses only, never the claimant's notes."""

from django.utils import timezone

from haven.cases.models import Case, CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.lib.languages import stored_in_english


@stored_in_english()
def _event(actor: Actor, case: Case, summary: str) -> CaseEvent:
    return CaseEvent.objects.create(
        agency=case.agency,
        case=case,
        kind=CaseEventKind.COMPENSATION,
        at=timezone.now(),
        actor=actor.membership,
        data={"summary": summary},
    )


@stored_in_english()
def claim_started(actor: Actor, claim) -> CaseEvent:
    return _event(actor, claim.case, f"Compensation claim started for {claim.claimant.full_name}")


@stored_in_english()
def claim_status_changed(actor: Actor, claim, change) -> CaseEvent:
    return _event(
        actor,
        claim.case,
        f"Compensation claim of {claim.claimant.full_name}: {change.get_to_status_display()}",
    )


@stored_in_english()
def claim_paid(actor: Actor, claim, payment) -> CaseEvent:
    return _event(actor, claim.case, f"Compensation payment of ${payment.amount:,.2f} recorded")


@stored_in_english()
def restitution_ordered(actor: Actor, order) -> CaseEvent:
    return _event(
        actor,
        order.case,
        f"Restitution of ${order.amount:,.2f} ordered ({order.court_case_number})",
    )


@stored_in_english()
def restitution_paid(actor: Actor, order, payment) -> CaseEvent:
    return _event(
        actor,
        order.case,
        f"Restitution payment of ${payment.amount:,.2f}; balance ${payment.balance_after:,.2f}",
    )


@stored_in_english()
def restitution_closed(actor: Actor, order) -> CaseEvent:
    return _event(
        actor,
        order.case,
        f"Restitution {order.court_case_number} closed unpaid; balance ${order.balance:,.2f}",
    )
