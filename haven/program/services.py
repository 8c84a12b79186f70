"""Writes of the program app: an activity recorded, a volunteer's file kept, hours logged.
Each checks the role, validates, saves and audits in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from haven.agencies.models import Membership
from haven.agencies.roles import Perm, Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.consent.gate import ConsentRefused, Disclosure, consent_require
from haven.consent.models import DataCategory, Purpose
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.funding.models import FundingSource
from haven.partners.models import Organization
from haven.program import events
from haven.program.models import (
    Activity,
    ActivityKind,
    Audience,
    VolunteerHours,
    VolunteerKind,
    VolunteerProfile,
)

MAX_HOURS_A_DAY = Decimal(24)
# What a case review shares with each partner present: who the victim is and the case's facts.
REVIEW_CATEGORIES = frozenset({DataCategory.IDENTITY, DataCategory.CASE_FACTS})


@dataclass(frozen=True, kw_only=True)
class ActivityInput:
    kind: str
    topic: str
    held_on: date
    hours: Decimal
    led_by: Membership
    time_spent: Decimal | None = None
    place: str = ""
    audience: str = ""
    attendees: int | None = None
    materials: str = ""
    partners: tuple[Organization, ...] = ()
    cases: tuple[Case, ...] = ()
    funding_source: FundingSource | None = None


def _activity_errors(actor: Actor, data: ActivityInput) -> dict[str, str]:
    errors = {}
    if data.kind not in ActivityKind.values:
        errors["kind"] = "Choose what kind of activity this was."
    if not data.topic.strip():
        errors["topic"] = "Say what the activity was about (the training's topic, the event)."
    if data.held_on > timezone.localdate(timezone=actor.agency.tz):
        errors["held_on"] = "Record an activity once it has taken place: this date is ahead."
    if not Decimal(0) < data.hours <= MAX_HOURS_A_DAY:
        errors["hours"] = "Give how long it lasted, more than 0 and at most 24 hours."
    if data.time_spent is not None and data.time_spent < data.hours:
        errors["time_spent"] = "Time spent includes the activity itself: at least its hours."
    if data.led_by.agency_id != actor.agency.pk or not data.led_by.is_active:
        errors["led_by"] = "Choose an active member of this agency."
    if data.kind == ActivityKind.TRAINING and not data.audience:
        errors["audience"] = "Say who the training was for."
    if data.audience and data.audience not in Audience.values:
        errors["audience"] = "Choose one of the audiences listed."
    if data.attendees is not None and data.attendees < 0:
        errors["attendees"] = "Attendees cannot be negative."
    if data.cases and data.kind != ActivityKind.CASE_REVIEW:
        errors["cases"] = "Only a multidisciplinary case review discusses cases."
    if data.kind == ActivityKind.CASE_REVIEW and data.cases and not data.partners:
        errors["partners"] = "Name the partners present: each case needs a release to them."
    if any(o.agency_id != actor.agency.pk for o in data.partners):
        errors["partners"] = "Choose partners from this agency's directory."
    if data.funding_source is not None and data.funding_source.agency_id != actor.agency.pk:
        errors["funding_source"] = "Choose one of this agency's funding sources."
    if any(c.agency_id != actor.agency.pk for c in data.cases):
        errors["cases"] = "Choose cases of this agency."
    return errors


def _check_releases(actor: Actor, data: ActivityInput) -> None:
    """Every case discussed needs a release from its victim to every partner present, for
    coordinating services, covering identity and case facts. Called before the transaction,
    so each refusal's audit row stays (haven/consent/gate.py)."""
    refused = []
    for case in data.cases:
        for partner in data.partners:
            try:
                consent_require(
                    actor=actor,
                    disclosure=Disclosure(
                        person=case.primary_victim,
                        recipient_organization=partner,
                        purpose=Purpose.SERVICE_COORDINATION,
                        categories=REVIEW_CATEGORIES,
                        channel="case_review",
                        case=case,
                    ),
                )
            except ConsentRefused as refusal:
                refused.append(f"Case {case.number}: {refusal.reason}")
    if refused:
        raise ValidationError(
            {"cases": ["Take these cases off the review, or get a release first."] + refused}
        )


def activity_record(*, actor: Actor, data: ActivityInput) -> Activity:
    """Record an activity outside a case (program.record). A case review's cases must each be
    covered by a release to every partner present; each gets a line on its timeline.
    Refused: a date ahead, hours out of range, a training without its audience, cases on
    anything but a case review, a case no release covers (the gate's words, per case)."""
    actor.require(Perm.PROGRAM_RECORD)
    if errors := _activity_errors(actor, data):
        raise ValidationError(errors)
    _check_releases(actor, data)
    with transaction.atomic():
        activity = Activity(
            agency=actor.agency,
            kind=data.kind,
            topic=data.topic.strip(),
            held_on=data.held_on,
            place=data.place.strip(),
            hours=data.hours,
            time_spent=data.time_spent if data.time_spent is not None else data.hours,
            led_by=data.led_by,
            audience=data.audience,
            attendees=data.attendees,
            materials=data.materials.strip(),
            funding_source=data.funding_source,
            recorded_by=actor.membership,
        )
        activity.full_clean()
        activity.save()
        activity.partners.set(data.partners)
        activity.cases.set(data.cases)
        for case in data.cases:
            events.case_reviewed(actor, case, activity)
        audit_record(
            actor=actor,
            action=AuditAction.PROGRAM_ACTIVITY,
            obj=activity,
            details={"kind": data.kind, "cases": [c.pk for c in data.cases]},
        )
    return activity


def _require_volunteer(actor: Actor, member: Membership) -> None:
    actor.require_own(member)
    if member.role != Role.VOLUNTEER:
        raise ValidationError(
            f"{member.display_name} is not a volunteer or intern: give them that role on the "
            "team page first."
        )


def volunteer_profile_save(
    *,
    actor: Actor,
    member: Membership,
    kind: str = VolunteerKind.VOLUNTEER,
    started_on: date | None = None,
    trained_on: date | None = None,
    background_checked_on: date | None = None,
    version: int | None = None,
) -> VolunteerProfile:
    """Keep a volunteer's or intern's file (program.manage). Refused: a member who is not a
    volunteer, a date ahead, a file saved since `version` (StaleEdit, nothing written; a file
    never saved is at version 1)."""
    actor.require(Perm.PROGRAM_MANAGE)
    _require_volunteer(actor, member)
    today = timezone.localdate(timezone=actor.agency.tz)
    dates = {"started_on": started_on, "trained_on": trained_on}
    dates["background_checked_on"] = background_checked_on
    errors = {
        name: "This date is ahead: give the day it happened."
        for name, day in dates.items()
        if day is not None and day > today
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        profile = VolunteerProfile.objects.select_for_update().filter(
            agency=actor.agency, membership=member
        ).first() or VolunteerProfile(agency=actor.agency, membership=member)
        check_version(profile, version)
        profile.kind = kind
        for name, day in dates.items():
            setattr(profile, name, day)
        # a first save inserts the file at version 2: a second writer who also found none
        # (version 1) is refused
        save_versioned(profile, version=version, fields=["kind", *dates])
        audit_record(
            actor=actor,
            action=AuditAction.VOLUNTEER_PROFILE,
            obj=profile,
            details={"member": member.pk, "kind": kind},
        )
    return profile


def volunteer_hours_record(
    *,
    actor: Actor,
    member: Membership,
    worked_on: date,
    hours: Decimal,
    case: Case | None = None,
    activity: Activity | None = None,
    what: str = "",
) -> VolunteerHours:
    """Log a volunteer's hours for one day, on a case or off cases. A volunteer logs their
    own (on a case they can see: the caller's access_case); program.manage logs anyone's.
    Refused: someone else's hours without program.manage, a member who is not a volunteer,
    a day ahead, hours out of range, a case or activity of another agency."""
    if member != actor.membership and not actor.has(Perm.PROGRAM_MANAGE):
        raise PermissionDenied("Only a supervisor or coordinator logs another member's hours.")
    _require_volunteer(actor, member)
    errors = {}
    if worked_on > timezone.localdate(timezone=actor.agency.tz):
        errors["worked_on"] = "This day is ahead: log hours once they are worked."
    if not Decimal(0) < hours <= MAX_HOURS_A_DAY:
        errors["hours"] = "Give the hours worked that day, more than 0 and at most 24."
    if case is not None and case.agency_id != actor.agency.pk:
        errors["case"] = "Choose a case of this agency."
    if activity is not None and activity.agency_id != actor.agency.pk:
        errors["activity"] = "Choose an activity of this agency."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = VolunteerHours.objects.create(
            agency=actor.agency,
            membership=member,
            worked_on=worked_on,
            hours=hours,
            case=case,
            activity=activity,
            what=what.strip()[:200],
            recorded_by=actor.membership,
        )
        audit_record(
            actor=actor,
            action=AuditAction.VOLUNTEER_HOURS,
            obj=row,
            details={"member": member.pk, "case": case.pk if case else None},
        )
    return row
