"""Contacts with the victim and the people on a case; the first completed one starts the case."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import events
from haven.cases.models import (
    AttemptResult,
    Case,
    CaseStatus,
    Contact,
    ContactChannel,
    ContactDirection,
    ContactOutcome,
)
from haven.cases.services.checks import CLOCK_SKEW
from haven.core.actor import Actor
from haven.lib.languages import in_english
from haven.people.models import Person


def _contact_errors(
    case: Case,
    *,
    outcome: str,
    channel: str,
    direction: str,
    occurred_at: datetime,
    attempt_result: str,
    duration_minutes: int | None,
    person: Person | None,
) -> dict[str, str]:
    """What is wrong with a contact to log on the case, by field."""
    errors = {}
    if outcome not in ContactOutcome.values:
        errors["outcome"] = "Say whether the contact was attempted or completed."
    if channel not in ContactChannel.values:
        errors["channel"] = f"Unknown channel {channel!r}."
    if direction not in ContactDirection.values:
        errors["direction"] = f"Unknown direction {direction!r}."
    if occurred_at > timezone.now() + CLOCK_SKEW:
        errors["occurred_at"] = "The contact's time is in the future."
    elif occurred_at < case.received_at - timedelta(days=1):
        errors["occurred_at"] = "The contact's time is before the case was received."
    if outcome == ContactOutcome.COMPLETED and attempt_result:
        errors["attempt_result"] = "A completed contact has no attempt result."
    elif attempt_result and attempt_result not in AttemptResult.values:
        errors["attempt_result"] = f"Unknown attempt result {attempt_result!r}."
    if duration_minutes is not None and not 0 <= duration_minutes <= 24 * 60:
        errors["duration_minutes"] = "Give the duration in minutes, up to a day."
    if (
        person is not None
        and person.pk != case.primary_victim_id
        and not case.related_people.filter(person=person).exists()
    ):
        errors["person"] = "That person is not on this case."
    return errors


def contact_log(
    *,
    actor: Actor,
    case: Case,
    outcome: str,
    channel: str,
    direction: str,
    occurred_at: datetime,
    summary: str = "",
    attempt_result: str = "",
    duration_minutes: int | None = None,
    person: Person | None = None,
) -> Contact:
    """Log a contact attempt or a completed contact.

    The first completed contact with the primary victim sets the case's first-contact time
    and moves a new case to active.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    errors = _contact_errors(
        case,
        outcome=outcome,
        channel=channel,
        direction=direction,
        occurred_at=occurred_at,
        attempt_result=attempt_result,
        duration_minutes=duration_minutes,
        person=person,
    )
    if errors:
        raise ValidationError(errors)
    with_victim = person is None or person.pk == case.primary_victim_id
    with transaction.atomic():
        contact = Contact.objects.create(
            agency=case.agency,
            case=case,
            person=person,
            outcome=outcome,
            attempt_result=attempt_result,
            channel=channel,
            direction=direction,
            occurred_at=occurred_at,
            duration_minutes=duration_minutes,
            summary=summary.strip(),
            logged_by=actor.membership,
        )
        events.contact_logged(actor, contact)
        if outcome == ContactOutcome.COMPLETED and with_victim:
            _record_first_contact(actor, case, occurred_at)
        audit_record(
            actor=actor,
            action=AuditAction.CONTACT_LOG,
            obj=contact,
            details={"case": case.pk, "outcome": outcome, "channel": channel},
        )
    return contact


def _record_first_contact(actor: Actor, case: Case, occurred_at: datetime) -> None:
    fields = []
    if case.first_contact_at is None or occurred_at < case.first_contact_at:
        case.first_contact_at = occurred_at
        fields.append("first_contact_at")
    if case.status == CaseStatus.NEW:
        previous = in_english(case.get_status_display)
        case.status = CaseStatus.ACTIVE
        case.status_reason = "First contact made"
        fields += ["status", "status_reason"]
    if fields:
        case.save(update_fields=[*fields, "updated_at"])
    if "status" in fields:
        events.status_changed(actor, case, previous=previous)
        # A status move like any other: the access log shows who made it, not only the timeline.
        audit_record(
            actor=actor,
            action=AuditAction.CASE_STATUS,
            obj=case,
            reason=case.status_reason,
            details={"from": CaseStatus.NEW, "to": case.status},
        )
