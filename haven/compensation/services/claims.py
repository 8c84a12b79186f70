"""A claim's facts: starting one, changing its facts while undecided, and its filled packet."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.compensation import events
from haven.compensation.models import (
    ENDED,
    Claim,
    ClaimStatus,
    ClaimStatusChange,
    Cooperation,
)
from haven.compensation.programs import program as load_program
from haven.compensation.programs import program_codes
from haven.compensation.selectors import people_on_case
from haven.compensation.services.checks import require_case
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.people.models import Person

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
    require_case(actor, case)
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
    require_case(actor, claim.case)
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
