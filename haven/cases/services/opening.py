"""Opening a case: its number, the victimization types, the first assignment."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from haven.agencies.models import Agency, District, Membership
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import events, hooks
from haven.cases.models import (
    Assignment,
    Case,
    CaseSource,
    CaseVictimization,
    Priority,
)
from haven.cases.services.checks import CLOCK_SKEW, check_assignee, too_long_message
from haven.core.actor import Actor
from haven.lib.reference import choices
from haven.people.models import Person

VICTIMIZATION_CODES = {code for code, _ in choices("pmt", "victimization_types")}


def next_case_number(agency: Agency, year: int) -> str:
    """A readable, never reused number: "2026-000042". The counter row is bumped by a
    conditional update, so concurrent openings on many servers never share a number."""
    Agency.objects.filter(pk=agency.pk).update(last_case_number=F("last_case_number") + 1)
    number = Agency.objects.values_list("last_case_number", flat=True).get(pk=agency.pk)
    return f"{year}-{number:06d}"


def check_opening(
    actor: Actor,
    *,
    victim: Person,
    source: str,
    received_at: datetime,
    victimizations: list[str],
    report_number: str,
    district: District | None,
    priority: str,
    assignee: Membership | None,
) -> None:
    """Refuse a case to open whose facts are wrong (each field's problem said) or whose
    assignee may not hold it; assigning to someone else needs case.assign."""
    errors = {}
    if victim.agency_id != actor.agency.pk:
        errors["victim"] = "The victim is not a person of this agency."
    if source not in CaseSource.values:
        errors["source"] = f"Unknown source {source!r}."
    if priority not in Priority.values:
        errors["priority"] = f"Unknown priority {priority!r}."
    if received_at > timezone.now() + CLOCK_SKEW:
        errors["received_at"] = "The time received is in the future."
    unknown = sorted(set(victimizations) - VICTIMIZATION_CODES)
    if unknown:
        errors["victimizations"] = f"Unknown victimization types: {', '.join(unknown)}."
    if too_long := too_long_message(Case, "report_number", report_number.strip()):
        errors["report_number"] = too_long
    if district is not None and district.agency_id != actor.agency.pk:
        errors["district"] = "The district is not one of this agency's."
    if errors:
        raise ValidationError(errors)
    check_assignee(actor, assignee)
    if assignee is not None and assignee != actor.membership:
        actor.require(Perm.CASE_ASSIGN)


def case_open(
    *,
    actor: Actor,
    victim: Person,
    source: str,
    received_at: datetime,
    victimizations: list[str],
    report_number: str = "",
    district: District | None = None,
    narrative: str = "",
    priority: str = Priority.NORMAL,
    assignee: Membership | None = None,
) -> Case:
    """Open a case for a victim. A police report number is optional.

    Refused without case.create; assigning to someone else needs case.assign.
    """
    actor.require(Perm.CASE_CREATE)
    check_opening(
        actor,
        victim=victim,
        source=source,
        received_at=received_at,
        victimizations=victimizations,
        report_number=report_number,
        district=district,
        priority=priority,
        assignee=assignee,
    )
    with transaction.atomic():
        year = timezone.localtime(received_at, actor.agency.tz).year
        case = Case.objects.create(
            agency=actor.agency,
            number=next_case_number(actor.agency, year),
            primary_victim=victim,
            source=source,
            received_at=received_at,
            report_number=report_number.strip(),
            district=district,
            narrative=narrative,
            priority=priority,
            assigned_to=assignee,
            created_by=actor.membership,
        )
        _record_opening(actor, case, victimizations, assignee)
        audit_record(
            actor=actor,
            action=AuditAction.CASE_CREATE,
            obj=case,
            # The assignment made at opening is a change of who holds the case: log it too.
            details={
                "source": source,
                "victim": victim.pk,
                "assignee": assignee.pk if assignee else None,
            },
        )
        # What apps above cases start with a case (a protocol for its victimization type).
        hooks.case_opened(actor, case)
    return case


def _record_opening(
    actor: Actor, case: Case, victimizations: list[str], assignee: Membership | None
) -> None:
    """The new case's victimization types, its first timeline event and its first assignment."""
    CaseVictimization.objects.bulk_create(
        CaseVictimization(agency=actor.agency, case=case, code=code)
        for code in sorted(set(victimizations))
    )
    events.case_opened(actor, case)
    if assignee is None:
        return
    Assignment.objects.create(
        agency=actor.agency,
        case=case,
        assignee=assignee,
        assigned_by=actor.membership,
        started_at=timezone.now(),
    )
    events.case_assigned(actor, case, previous="nobody", reason="")
