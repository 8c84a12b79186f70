from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.cases.models import CaseEvent, CaseEventKind, Relation
from haven.cases.services import case_add_person
from haven.compensation.models import Claim, ClaimStatus, ClaimStatusChange
from haven.compensation.selectors import claim_overview, compensation_summary, deadline_list
from haven.compensation.services import (
    claim_payment_record,
    claim_set_status,
    claim_update,
    expense_add,
    expense_update,
)
from haven.compensation.tests.conftest import days_ago
from haven.notices.models import Message
from haven.people.services import person_create

pytestmark = pytest.mark.django_db


def file_and_decide(alice, claim, status="awarded", award="1200.00"):
    expense_add(
        actor=alice, claim=claim, category="medical", amount="1500.00", incurred_on=days_ago(9)
    )
    claim_set_status(actor=alice, claim=claim, to_status="ready")
    claim_set_status(actor=alice, claim=claim, to_status="filed", on=days_ago(5))
    claim_set_status(actor=alice, claim=claim, to_status="pending", state_claim_number="C-77")
    return claim_set_status(
        actor=alice, claim=claim, to_status=status, on=days_ago(1), award_amount=award
    )


def test_starting_a_claim_writes_a_draft_its_history_timeline_and_audit(
    cast, alice, make_claim, new_audit_events
):
    claim = make_claim()
    assert claim.status == ClaimStatus.DRAFT and claim.program == "illinois"
    assert claim.history.get().to_status == ClaimStatus.DRAFT
    assert CaseEvent.objects.filter(case=cast.case_a, kind=CaseEventKind.COMPENSATION).exists()
    [event] = new_audit_events(action=AuditAction.COMPENSATION_CREATE)
    assert event.object_id == str(claim.pk)


def test_a_family_member_who_paid_for_the_funeral_can_claim(cast, alice, make_claim):
    mother = person_create(actor=alice, first_name="Rosa", last_name="Reyes")
    case_add_person(
        actor=alice, case=cast.case_a, person=mother, relation=Relation.FAMILY, is_served=False
    )
    claim = make_claim(claimant=mother, claimant_relation="paid_expenses")
    assert claim.claimant == mother


def test_someone_not_on_the_case_cannot_claim(alice, make_claim):
    stranger = person_create(actor=alice, first_name="Sol", last_name="Stranger")
    with pytest.raises(ValidationError, match="victim or someone on the case"):
        make_claim(claimant=stranger)
    assert not Claim.objects.exists()


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_non_caseworkers_cannot_start_claims(cast, make_claim, role):
    with pytest.raises(PermissionDenied):
        make_claim(cast.actor(role))
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("facts", "field", "message"),
    [
        ({"crime_type": "littering"}, "crime_type", "Choose a crime"),
        ({"reported_on": 11}, "reported_on", "before the crime date"),
        ({"crime_date": -1, "reported_on": None}, "crime_date", "future"),
        ({"claimant_relation": "neighbour"}, "claimant_relation", "how the claimant relates"),
        ({"crime_date": 365 * 40}, "crime_date", "no rules in Haven"),
    ],
)
def test_bad_facts_are_refused_with_what_to_fix(make_claim, facts, field, message):
    # Dates are given as days ago and read from the clock here, not at import.
    facts = {k: days_ago(v) if isinstance(v, int) else v for k, v in facts.items()}
    with pytest.raises(ValidationError) as caught:
        make_claim(**facts)
    assert message.lower() in " ".join(caught.value.message_dict[field]).lower()
    assert not Claim.objects.exists()


def test_updating_facts_saves_and_audits_the_changed_fields(alice, claim, new_audit_events):
    claim_update(actor=alice, claim=claim, cooperated="no", police_agency="Riverside PD")
    claim.refresh_from_db()
    assert claim.cooperated == "no"
    [event] = new_audit_events(action=AuditAction.COMPENSATION_UPDATE)
    assert event.details["fields"] == ["cooperated"]


def test_a_claim_is_not_ready_without_an_expense(alice, claim):
    with pytest.raises(ValidationError, match="at least one expense"):
        claim_set_status(actor=alice, claim=claim, to_status="ready")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


def test_a_move_the_flow_does_not_allow_is_refused_with_the_allowed_ones(alice, claim):
    with pytest.raises(ValidationError) as caught:
        claim_set_status(actor=alice, claim=claim, to_status="awarded", award_amount="10")
    assert "can move to: ready to file, withdrawn" in str(caught.value)


def test_the_whole_way_to_an_award_and_its_payments(alice, claim, new_audit_events):
    change = file_and_decide(alice, claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWARDED and change.from_status == ClaimStatus.PENDING
    assert claim.filed_on == days_ago(5) and claim.decided_on == days_ago(1)
    assert claim.award_amount == Decimal("1200.00") and claim.state_claim_number == "C-77"
    assert [h.to_status for h in claim.history.order_by("at", "id")] == [
        "draft", "ready", "filed", "pending", "awarded"
    ]  # fmt: skip
    assert len(new_audit_events(action=AuditAction.COMPENSATION_STATUS)) == 4
    claim_payment_record(
        actor=alice, claim=claim, paid_on=days_ago(0), amount="1000.00", payee="Dana Reyes"
    )
    with pytest.raises(ValidationError, match=r"total \$1,200.01, more than the award"):
        claim_payment_record(
            actor=alice, claim=claim, paid_on=days_ago(0), amount="200.01", payee="Dana Reyes"
        )
    claim_payment_record(
        actor=alice, claim=claim, paid_on=days_ago(0), amount="200.00", payee="Dana Reyes"
    )
    assert claim_overview(claim).paid_total == Decimal("1200.00")
    assert len(new_audit_events(action=AuditAction.COMPENSATION_PAYMENT)) == 2


def test_an_award_above_the_maximum_for_the_crime_date_is_refused(alice, claim):
    with pytest.raises(ValidationError, match=r"more than the maximum award \(\$45,000.00\)"):
        file_and_decide(alice, claim, award="45000.01")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING


def test_an_award_of_exactly_the_maximum_is_accepted(alice, claim):
    file_and_decide(alice, claim, award="45000.00")
    claim.refresh_from_db()
    assert claim.award_amount == Decimal("45000.00")


@pytest.mark.parametrize("amount", ["12.345", "-5", "0", "ten dollars", "1e3"])
def test_money_must_be_positive_dollars_and_cents(alice, claim, amount):
    with pytest.raises(ValidationError) as caught:
        expense_add(
            actor=alice, claim=claim, category="medical", amount=amount, incurred_on=days_ago(1)
        )
    assert "amount" in caught.value.message_dict
    assert not claim.expenses.exists()


def test_documents_received_are_ticked_and_missing_ones_listed(alice, claim):
    item = expense_add(
        actor=alice, claim=claim, category="funeral", amount="8000.00", incurred_on=days_ago(8)
    )
    overview = claim_overview(claim)
    assert {m.code for m in overview.missing} == {
        "funeral_bill", "death_certificate", "payment_receipts"
    }  # fmt: skip
    assert overview.totals.categories[0].capped == Decimal("7500.00")
    assert "over the cap of $7,500.00" in overview.totals.warnings[0]
    expense_update(actor=alice, expense=item, documents_received=["funeral_bill"])
    assert len(claim_overview(claim).missing) == 2
    with pytest.raises(ValidationError, match="Not a document this category needs"):
        expense_update(actor=alice, expense=item, documents_received=["tuition_statement"])


def test_months_only_on_categories_capped_per_month(alice, claim):
    with pytest.raises(ValidationError, match="Months apply only"):
        expense_add(
            actor=alice,
            claim=claim,
            category="medical",
            amount="10.00",
            incurred_on=days_ago(1),
            months=2,
        )


def test_denial_opens_an_appeal_window_and_a_late_appeal_needs_a_note(alice, claim):
    file_and_decide(alice, claim, status="denied", award=None)
    claim.refresh_from_db()
    assert claim.award_amount == Decimal("0.00")
    overview = claim_overview(claim)
    assert overview.appeal_deadline == days_ago(1) + timedelta(days=30)
    assert overview.deadlines[0].kind == "appeal"
    claim_set_status(actor=alice, claim=claim, to_status="appeal_filed")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPEAL_FILED


def test_a_status_change_can_tell_the_claimant_once(cast, alice, claim):
    change = file_and_decide(alice, claim)
    assert not Message.objects.filter(person=claim.claimant).exists()
    claim_set_status(actor=alice, claim=claim, to_status="closed", notify=True, note="paid")
    told = ClaimStatusChange.objects.get(claim=claim, to_status="closed")
    assert told.notified and told.note == "paid"
    messages = Message.objects.filter(person=claim.claimant, template="compensation_status")
    assert messages.count() >= 1
    assert all(m.dedupe_key == f"compensation-status:{told.pk}" for m in messages)
    assert change.pk != told.pk


def test_the_deadline_list_shows_the_specialists_claims_soonest_first(cast, alice, sam, make_claim):
    late = make_claim(crime_date=days_ago(365 * 5 - 3), reported_on=days_ago(365 * 5 - 3))
    fresh = make_claim()
    rows = deadline_list(alice)
    assert [o.claim for o in rows] == [late, fresh]
    assert rows[0].next_deadline.kind == "filing"
    assert deadline_list(cast.actor("advocate2")) == []
    assert [o.claim for o in deadline_list(sam)] == []  # Sam has no cases of his own
    assert len(deadline_list(sam, everyone=True)) == 2
    assert len(deadline_list(alice, everyone=True)) == 2  # advocates cannot widen: their own


def test_the_summary_counts_claims_and_amounts_for_analysts(cast, alice, claim):
    file_and_decide(alice, claim)
    today = timezone.localdate()
    summary = compensation_summary(cast.actor("analyst"), start=days_ago(30), end=today)
    assert summary.claims_filed == 1 and summary.claims_awarded == 1
    assert summary.amount_claimed == Decimal("1500.00")
    assert summary.amount_awarded == Decimal("1200.00")
    with pytest.raises(PermissionDenied):
        compensation_summary(alice, start=days_ago(30), end=today)


@pytest.mark.parametrize(("decided_ago", "needs_note"), [(30, False), (31, True)])
def test_an_appeal_on_the_last_day_of_the_window_needs_no_note_and_a_day_later_does(
    alice, claim, decided_ago, needs_note
):
    expense_add(
        actor=alice, claim=claim, category="medical", amount="5.00", incurred_on=days_ago(9)
    )
    claim_update(actor=alice, claim=claim, crime_date=days_ago(60), reported_on=days_ago(60))
    for status, on in (("ready", None), ("filed", days_ago(50)), ("pending", days_ago(49))):
        claim_set_status(actor=alice, claim=claim, to_status=status, on=on)
    claim_set_status(actor=alice, claim=claim, to_status="denied", on=days_ago(decided_ago))
    if needs_note:
        with pytest.raises(ValidationError, match="The appeal window closed on"):
            claim_set_status(actor=alice, claim=claim, to_status="appeal_filed")
        claim_set_status(
            actor=alice, claim=claim, to_status="appeal_filed", note="Notice arrived late"
        )
    else:
        claim_set_status(actor=alice, claim=claim, to_status="appeal_filed")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPEAL_FILED


def test_a_withdrawn_claim_takes_no_more_expenses(alice, claim):
    claim_set_status(actor=alice, claim=claim, to_status="withdrawn", note="Changed her mind")
    with pytest.raises(ValidationError, match="has ended"):
        expense_add(
            actor=alice, claim=claim, category="medical", amount="5.00", incurred_on=days_ago(1)
        )
    assert not claim.expenses.exists()


def test_awards_per_expense_add_up_and_cannot_exceed_what_was_claimed(alice, claim):
    bill = expense_add(
        actor=alice, claim=claim, category="medical", amount="800.00", incurred_on=days_ago(9)
    )
    rent = expense_add(
        actor=alice, claim=claim, category="relocation", amount="1200.00", incurred_on=days_ago(8)
    )
    assert claim_overview(claim).totals.awarded is None
    with pytest.raises(ValidationError, match=r"More than the \$800.00 claimed"):
        expense_update(actor=alice, expense=bill, amount_awarded="800.01")
    expense_update(actor=alice, expense=bill, amount_awarded="800.00")
    expense_update(actor=alice, expense=rent, amount_awarded="0")
    totals = claim_overview(claim).totals
    assert totals.awarded == Decimal("800.00")
    assert [row.awarded for row in totals.categories] == [Decimal("800.00"), Decimal("0.00")]
