"""Writing call-outs and anonymous contacts. Every write is audited in its transaction; a
call-out on a case writes a line on the case's timeline (crisis/events.py).

Who may write: members with case.work (the specialists, supervisors, coordinators) record and
work call-outs and anonymous contacts; an officer asks for a specialist only through the scene
referral (`callout_request_from_scene`, which needs intake.scene_referral). A call-out on a
case the actor may not read is refused like the case itself (404 at the access helper).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.models import District, Membership
from haven.agencies.roles import CASEWORKER_ROLES, Perm
from haven.assistance import catalog
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.core.actor import Actor
from haven.crisis import events
from haven.crisis.models import (
    AnonymousContact,
    CallOut,
    CallOutStatus,
    ContactKind,
    Outcome,
    Place,
    RequestedBy,
)
from haven.crisis.tasks import callout_alert
from haven.lib.reference import choices

# A call-out is answered the same day: an arrival later than this after the request is a typo
# (a wrong date), or not a crisis response but a later visit (a contact on the case).
LONGEST_RESPONSE = timedelta(days=1)
# Phones' clocks disagree by a little; a time this far ahead is still "now".
CLOCK_SKEW = timedelta(minutes=5)
DETAIL_LIMIT = 300
NOTE_LIMIT = 1000
LONGEST_CONTACT_MINUTES = 24 * 60
REFERRALS = {
    "": "No referral",
    "A3": "To another victim service program",
    "A4": "To other services",
}

STEPS = {
    "dispatched": CallOutStatus.DISPATCHED,
    "arrived": CallOutStatus.ARRIVED,
    "cleared": CallOutStatus.CLEARED,
}


def local_time(moment: datetime, tz) -> str:
    return timezone.localtime(moment, tz).strftime("%b %-d, %-I:%M %p")


def check_times(
    *,
    requested_at: datetime | None,
    dispatched_at: datetime | None,
    arrived_at: datetime | None,
    cleared_at: datetime | None,
    tz,
    now: datetime,
) -> None:
    """Refuse times that cannot be: each error names the field and says what to fix."""
    errors: dict[str, str] = {}
    if requested_at is None:
        raise ValidationError(
            {"requested_at": gettext("Give the time the call-out was requested.")}
        )
    for name, moment in (
        ("requested_at", requested_at),
        ("dispatched_at", dispatched_at),
        ("arrived_at", arrived_at),
        ("cleared_at", cleared_at),
    ):
        if moment is not None and moment > now + CLOCK_SKEW:
            errors[name] = f"{local_time(moment, tz)} has not happened yet: give a time up to now."
    asked = local_time(requested_at, tz)
    if dispatched_at is not None and dispatched_at < requested_at:
        errors.setdefault(
            "dispatched_at", f"Dispatched before the request ({asked}): check both times."
        )
    if arrived_at is not None:
        if arrived_at < requested_at:
            errors.setdefault(
                "arrived_at",
                f"Arrival ({local_time(arrived_at, tz)}) is before the request ({asked}): "
                "check both times.",
            )
        elif arrived_at - requested_at > LONGEST_RESPONSE:
            errors.setdefault(
                "arrived_at",
                f"Arrival ({local_time(arrived_at, tz)}) is more than a day after the request "
                f"({asked}): check the date. A visit days later is a contact on the case, "
                "not a call-out.",
            )
        if dispatched_at is not None and arrived_at < dispatched_at:
            errors.setdefault("arrived_at", "Arrival is before the dispatch: check both times.")
    if cleared_at is not None and cleared_at < (arrived_at or dispatched_at or requested_at):
        errors.setdefault(
            "cleared_at", "Cleared before the specialist arrived (or was asked): check the times."
        )
    if errors:
        raise ValidationError(errors)


def _status(callout: CallOut) -> str:
    if callout.status == CallOutStatus.CANCELLED:
        return callout.status
    for moment, status in (
        (callout.cleared_at, CallOutStatus.CLEARED),
        (callout.arrived_at, CallOutStatus.ARRIVED),
        (callout.dispatched_at, CallOutStatus.DISPATCHED),
    ):
        if moment is not None:
            return status
    return CallOutStatus.REQUESTED


def _check_case(actor: Actor, case: Case | None) -> None:
    if case is not None:
        actor.require_own(case)
        if not case.is_open:
            raise ValidationError({"case": f"Case {case.number} is closed: choose an open case."})


def _check_responders(actor: Actor, responders) -> list[Membership]:
    responders = list(responders or [])
    for member in responders:
        if (
            member.agency_id != actor.agency.pk
            or not member.is_active
            or member.role not in CASEWORKER_ROLES
        ):
            raise ValidationError(
                {"responders": gettext("Choose active specialists of this agency.")}
            )
    return responders


@dataclass
class CallOutInput:
    """A call-out as the specialist records it (now, or after the fact)."""

    requested_by: str
    requested_at: datetime
    place: str
    requester: str = ""
    place_detail: str = ""
    district: District | None = None
    case: Case | None = None
    responders: list[Membership] = field(default_factory=list)
    dispatched_at: datetime | None = None
    arrived_at: datetime | None = None
    cleared_at: datetime | None = None


def _check_input(actor: Actor, data: CallOutInput) -> None:
    errors = {}
    if data.requested_by not in RequestedBy.values:
        errors["requested_by"] = "Say who asked for the specialist."
    if data.place not in Place.values:
        errors["place"] = "Say where: the scene, a hospital, a station, a home, or by phone."
    if len(data.place_detail.strip()) > DETAIL_LIMIT:
        errors["place_detail"] = f"Keep it to {DETAIL_LIMIT} characters."
    if data.district is not None and data.district.agency_id != actor.agency.pk:
        errors["district"] = "Choose a district of this agency."
    if errors:
        raise ValidationError(errors)
    check_times(
        requested_at=data.requested_at,
        dispatched_at=data.dispatched_at,
        arrived_at=data.arrived_at,
        cleared_at=data.cleared_at,
        tz=actor.agency.tz,
        now=timezone.now(),
    )


def callout_record(*, actor: Actor, data: CallOutInput) -> CallOut:
    """Record a call-out: requested now, or one already under way or over (with its times).

    Refused without case.work; for a case of another agency (403) or a closed one; for
    responders who are not active specialists of the agency; for an unknown requester kind or
    place; and for impossible times: one in the future, an arrival before the request or more
    than a day after it, a dispatch before the request, a clearing before the arrival.
    """
    actor.require(Perm.CASE_WORK)
    _check_case(actor, data.case)
    responders = _check_responders(actor, data.responders)
    _check_input(actor, data)
    with transaction.atomic():
        callout = CallOut(
            agency=actor.agency,
            requested_by=data.requested_by,
            requester=data.requester.strip()[:120],
            requested_at=data.requested_at,
            dispatched_at=data.dispatched_at,
            arrived_at=data.arrived_at,
            cleared_at=data.cleared_at,
            place=data.place,
            place_detail=data.place_detail.strip(),
            district=data.district or (data.case.district if data.case else None),
            case=data.case,
            created_by=actor.membership,
        )
        callout.status = _status(callout)
        callout.full_clean()
        callout.save()
        callout.responders.set(responders)
        if callout.case is not None:
            events.callout_recorded(actor, callout)
        _audit(actor, callout, {"created": True, "status": callout.status})
    return callout


def _audit(actor: Actor, callout: CallOut, details: dict) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.CALLOUT_SAVE,
        obj=callout,
        details={"case": callout.case_id, **details},
    )


def callout_request_from_scene(
    *, actor: Actor, case: Case, place: str, place_detail: str = "", site_url: str = ""
) -> CallOut:
    """An officer's scene referral asks for a specialist to come: a call-out requested now by
    the officer, on the case the referral opened, for the specialist the case went to (the one
    on call). The on-call specialist (or, with nobody reachable, the supervisors) is emailed
    after the commit (crisis.tasks.callout_alert).

    Refused without intake.scene_referral, for the system actor, for a case of another agency,
    and for an unknown place (nothing is saved: the caller's transaction rolls back).
    """
    actor.require(Perm.SCENE_REFERRAL)
    if actor.is_system:
        raise PermissionDenied("A request for a specialist is made by a member of the agency.")
    actor.require_own(case)
    errors = {}
    if place not in Place.values:
        errors["callout_place"] = "Say where the specialist should come."
    if len(place_detail.strip()) > DETAIL_LIMIT:
        errors["callout_place_detail"] = f"Keep it to {DETAIL_LIMIT} characters."
    if errors:
        raise ValidationError(errors)
    officer = actor.membership
    with transaction.atomic():
        callout = CallOut.objects.create(
            agency=actor.agency,
            requested_by=RequestedBy.OFFICER,
            requester=officer.display_name[:120],
            requested_by_member=officer,
            requested_at=timezone.now(),
            place=place,
            place_detail=place_detail.strip(),
            district=case.district,
            case=case,
            created_by=officer,
        )
        events.callout_recorded(actor, callout)
        _audit(actor, callout, {"created": True, "from": "scene referral"})
        transaction.on_commit(partial(callout_alert, callout.pk, actor.agency.pk, site_url))
    return callout


def callout_stamp(*, actor: Actor, callout: CallOut, step: str) -> CallOut:
    """One tap on the call-out: dispatched, arrived or cleared, now. The member who taps
    "dispatched" or "arrived" becomes one of its responders.

    Refused without case.work, for another agency's call-out, for a call-out called off or
    already cleared, for a step already stamped, and for a time that does not fit the others
    (arrival more than a day after the request: record the call-out's times by hand instead).
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(callout)
    if step not in STEPS:
        raise ValidationError(gettext("Choose dispatched, arrived or cleared."))
    now = timezone.now()
    with transaction.atomic():
        callout = CallOut.objects.select_for_update().get(pk=callout.pk)
        if not callout.is_open:
            raise ValidationError(f"This call-out is {callout.get_status_display().lower()}.")
        if getattr(callout, f"{step}_at") is not None:
            raise ValidationError(f"{step.capitalize()} is already recorded.")
        setattr(callout, f"{step}_at", now)
        check_times(
            requested_at=callout.requested_at,
            dispatched_at=callout.dispatched_at,
            arrived_at=callout.arrived_at,
            cleared_at=callout.cleared_at,
            tz=actor.agency.tz,
            now=now,
        )
        callout.status = _status(callout)
        callout.updated_at = now
        callout.save(update_fields=[f"{step}_at", "status", "updated_at"])
        if step != "cleared" and actor.membership is not None:
            callout.responders.add(actor.membership)
        if callout.case is not None:
            events.callout_step(actor, callout, step)
        _audit(actor, callout, {"step": step, "at": now.isoformat()})
    return callout


def callout_cancel(*, actor: Actor, callout: CallOut, reason: str = "") -> CallOut:
    """Call it off before anyone arrived. Refused as callout_stamp is, and once someone
    arrived (clear it instead)."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(callout)
    with transaction.atomic():
        callout = CallOut.objects.select_for_update().get(pk=callout.pk)
        if not callout.is_open:
            raise ValidationError(f"This call-out is {callout.get_status_display().lower()}.")
        if callout.arrived_at is not None:
            raise ValidationError(gettext("Someone arrived already: clear the call-out instead."))
        callout.status = CallOutStatus.CANCELLED
        callout.outcome_note = reason.strip()[:NOTE_LIMIT]
        callout.updated_at = timezone.now()
        callout.save(update_fields=["status", "outcome_note", "updated_at"])
        if callout.case is not None:
            events.callout_step(actor, callout, "called off")
        _audit(actor, callout, {"cancelled": True})
    return callout


def callout_outcome(*, actor: Actor, callout: CallOut, outcome: str, note: str = "") -> CallOut:
    """Say how it ended. Refused without case.work, for another agency's call-out, and for an
    unknown outcome or a note over the limit."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(callout)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": gettext("Choose how the call-out ended.")})
    if len(note.strip()) > NOTE_LIMIT:
        raise ValidationError({"note": f"Keep the note to {NOTE_LIMIT} characters."})
    with transaction.atomic():
        callout.outcome, callout.outcome_note = outcome, note.strip()
        callout.updated_at = timezone.now()
        callout.save(update_fields=["outcome", "outcome_note", "updated_at"])
        _audit(actor, callout, {"outcome": outcome})
    return callout


def callout_link_case(*, actor: Actor, callout: CallOut, case: Case) -> CallOut:
    """Tie the call-out to the case it belongs to, or to the case just opened from it
    (intake's new-case page opens it). Refused without case.work, for a case of another agency
    or a closed one, and for a call-out already on a case."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(callout)
    _check_case(actor, case)
    with transaction.atomic():
        callout = CallOut.objects.select_for_update().get(pk=callout.pk)
        if callout.case_id is not None and callout.case_id != case.pk:
            raise ValidationError({"case": gettext("This call-out is already on another case.")})
        callout.case = case
        if callout.district_id is None:
            callout.district = case.district
        callout.updated_at = timezone.now()
        callout.save(update_fields=["case", "district", "updated_at"])
        events.callout_recorded(actor, callout)
        _audit(actor, callout, {"linked": True})
    return callout


# -- Anonymous contacts -------------------------------------------------------------------


def anonymous_contact_record(
    *,
    actor: Actor,
    kind: str,
    contact_date: date,
    duration_minutes: int,
    victimization: str = "",
    services: list[str] | None = None,
    referral: str = "",
) -> AnonymousContact:
    """A hotline call or walk-in with no identity: what PMT counts, nothing that names anyone.

    Refused without case.work; for an unknown kind, victimization type, service code or
    referral; a date in the future; and a duration that is not 1 to 1,440 minutes.
    """
    actor.require(Perm.CASE_WORK)
    services = sorted(set(services or []))
    today = timezone.localtime(timezone.now(), actor.agency.tz).date()
    errors = {}
    if kind not in ContactKind.values:
        errors["kind"] = "Say whether it was a hotline call or a walk-in."
    if contact_date is None or contact_date > today:
        errors["contact_date"] = "Give the day of the contact: today or earlier."
    if not duration_minutes or not 1 <= duration_minutes <= LONGEST_CONTACT_MINUTES:
        errors["duration_minutes"] = "Give how long it lasted, in minutes (1 to 1,440)."
    if victimization and victimization not in dict(choices("pmt", "victimization_types")):
        errors["victimization"] = "Choose a victimization type from the list, or none."
    if unknown := [code for code in services if catalog.sub_service(code) is None]:
        errors["services"] = f"Unknown service codes: {', '.join(unknown)}."
    if referral not in REFERRALS:
        errors["referral"] = "Choose a kind of referral, or none."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = AnonymousContact.objects.create(
            agency=actor.agency,
            kind=kind,
            contact_date=contact_date,
            duration_minutes=duration_minutes,
            victimization=victimization,
            services=services,
            referral=referral,
            recorded_by=actor.membership,
        )
        audit_record(
            actor=actor,
            action=AuditAction.ANONYMOUS_CONTACT_SAVE,
            obj=contact,
            details={"kind": kind, "services": services},
        )
    return contact
