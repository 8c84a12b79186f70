"""A claim's status moves (TRANSITIONS), each with its own checks, its history row and, when
asked, a message to the claimant."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.compensation import events
from haven.compensation.models import (
    APPEALABLE,
    TRANSITIONS,
    Claim,
    ClaimStatus,
    ClaimStatusChange,
)
from haven.compensation.selectors import claim_overview
from haven.compensation.services.checks import money, not_future, require_case
from haven.core.actor import Actor
from haven.notices.services import message_queue

DECISIONS = (
    ClaimStatus.AWARDED,
    ClaimStatus.PARTIAL,
    ClaimStatus.DENIED,
    ClaimStatus.APPEAL_DECIDED,
)


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
    require_case(actor, claim.case)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    to_status = _allowed_move(claim, to_status)
    note = note.strip()
    if len(note) > 1000:
        raise ValidationError({"note": gettext("Keep the note to 1000 characters.")})
    on = on or timezone.localdate()
    not_future(on, "on", "date")
    if on < claim.crime_date:
        raise ValidationError({"on": gettext("That date is before the crime: check it.")})
    overview = claim_overview(claim)
    fields = ["status", "status_changed_at"]
    fields += _move_facts(
        claim,
        to_status,
        overview=overview,
        on=on,
        note=note,
        award_amount=award_amount,
        state_claim_number=state_claim_number,
    )
    change = _record_move(actor, claim, to_status, fields=fields, note=note, on=on, notify=notify)
    if notify:
        _tell_claimant(actor, claim, change, overview=overview, on=on)
    return change


def _record_move(
    actor: Actor,
    claim: Claim,
    to_status: ClaimStatus,
    *,
    fields: list[str],
    note: str,
    on: date,
    notify: bool,
) -> ClaimStatusChange:
    """Save the move with its history row, timeline event and audit event."""
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
    return change


def _allowed_move(claim: Claim, to_status: str) -> ClaimStatus:
    to_status = ClaimStatus(to_status) if to_status in ClaimStatus.values else None
    if to_status is None or to_status not in TRANSITIONS[claim.status]:
        allowed = ", ".join(s.label.lower() for s in ClaimStatus if s in TRANSITIONS[claim.status])
        raise ValidationError(
            {
                "to_status": f"A {claim.get_status_display().lower()} claim can move to: "
                f"{allowed or 'nothing (it has ended)'}."
            }
        )
    return to_status


def _move_facts(
    claim: Claim,
    to_status: ClaimStatus,
    *,
    overview,
    on: date,
    note: str,
    award_amount,
    state_claim_number: str,
) -> list[str]:
    """Check what this move needs and set the facts it records on the claim (filing date,
    state claim number, award, decision date); the names of the fields set."""
    fields = []
    if to_status == ClaimStatus.READY:
        _check_ready(claim, overview)
    if to_status == ClaimStatus.FILED:
        claim.filed_on = on
        fields.append("filed_on")
    if state_claim_number.strip():
        claim.state_claim_number = state_claim_number.strip()[:40]
        fields.append("state_claim_number")
    if to_status in (ClaimStatus.AWARDED, ClaimStatus.PARTIAL) or (
        to_status == ClaimStatus.APPEAL_DECIDED and award_amount not in (None, "")
    ):
        claim.award_amount = _award(to_status, award_amount, overview)
        fields.append("award_amount")
    if to_status == ClaimStatus.DENIED:
        claim.award_amount = Decimal("0.00")
        fields.append("award_amount")
    if to_status in DECISIONS:
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
    return fields


def _check_ready(claim: Claim, overview) -> None:
    missing = []
    if not claim.crime_type:
        missing.append("the crime type")
    if not overview.totals.categories:
        missing.append("at least one expense")
    if missing:
        raise ValidationError(
            {"to_status": f"Before the claim is ready, record {' and '.join(missing)}."}
        )


def _award(to_status: ClaimStatus, award_amount, overview) -> Decimal:
    """The amount awarded, no more than the program's maximum for the crime date."""
    if award_amount in (None, ""):
        raise ValidationError({"award_amount": gettext("Enter the amount awarded.")})
    # Nothing awarded is a denial, not a partial award; only an appeal may end at zero.
    amount = money(award_amount, "award_amount", allow_zero=to_status == ClaimStatus.APPEAL_DECIDED)
    if amount > overview.rules.maximum_award:
        raise ValidationError(
            {
                "award_amount": f"${amount:,.2f} is more than the maximum award "
                f"(${overview.rules.maximum_award:,.2f}) for a crime on this date: check it."
            }
        )
    return amount


def _tell_claimant(
    actor: Actor, claim: Claim, change: ClaimStatusChange, *, overview, on: date
) -> None:
    """Queue the "compensation_status" message to the claimant, once per status change."""
    to_status = ClaimStatus(change.to_status)
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
