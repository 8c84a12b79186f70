"""Agency B's compensation rows for the tenant-isolation walk (core/tests/
test_tenant_isolation.py): a claim with an expense, and a restitution order."""

from datetime import timedelta

from django.utils import timezone

from haven.compensation.services import (
    claim_create,
    expense_add,
    restitution_order_create,
)


def other_agency_compensation(cast) -> dict:
    charlie = cast.actor("other_advocate")
    case = cast.case_b
    crime = timezone.localdate() - timedelta(days=5)
    claim = claim_create(
        actor=charlie,
        case=case,
        claimant=case.primary_victim,
        claimant_relation="victim",
        crime_date=crime,
        crime_type="battery",
    )
    expense = expense_add(
        actor=charlie, claim=claim, category="medical", amount="10.00", incurred_on=crime
    )
    order = restitution_order_create(
        actor=charlie,
        case=case,
        payee=case.primary_victim,
        court_case_number="LB-2026-1",
        amount="100.00",
        ordered_on=crime,
        payer_name="Lakeside Defendant",
    )
    return {"claim_id": claim.pk, "expense_id": expense.pk, "order_id": order.pk}
