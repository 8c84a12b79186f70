"""Changes to the on-call roster: shifts, the weekly pattern, holidays, the manual override and
the agency's coverage settings. Each is audited in the same transaction.

Permissions. Who is on call decides who gets the next officer referral, an assignment
decision: shifts, pattern, holidays and the manual override need case.assign (supervisors and
coordinators), as the older /agency/on-call/ page does. The coverage mode and the hotline are
the agency's configuration: agency.configure (coordinators).

Writes to one agency's roster are serialized by locking its settings row first, so two
coordinators cannot both add overlapping shifts (the overlap check and the insert happen
under the lock).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.models import Agency, Membership
from haven.agencies.roles import CASEWORKER_ROLES, Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.lib.phones import normalize_phone
from haven.oncall import roster as r
from haven.oncall.models import (
    WEEKDAYS,
    Coverage,
    Holiday,
    OnCallPattern,
    OnCallSettings,
    OnCallShift,
)

LONGEST_SHIFT = timedelta(days=14)
NOTE_MAX = OnCallShift._meta.get_field("note").max_length
NAME_MAX = Holiday._meta.get_field("name").max_length


def _lock_roster(agency: Agency) -> OnCallSettings:
    """The agency's settings row, created if missing and locked until the transaction ends."""
    OnCallSettings.objects.get_or_create(agency=agency)
    return OnCallSettings.objects.select_for_update().get(agency=agency)


def _member_error(actor: Actor, member: Membership | None) -> str:
    if member is None:
        return "Choose who is on call."
    if (
        member.agency_id != actor.agency.pk
        or not member.is_active
        or member.role not in CASEWORKER_ROLES
    ):
        return "Choose an active specialist of this agency."
    return ""


def _fmt(at: datetime, tz) -> str:
    return at.astimezone(tz).strftime("%a %b %-d, %-I:%M %p")


# long: field checks, then the overlap check and insert under the roster lock
def shift_add(
    *,
    actor: Actor,
    member: Membership,
    starts_at: datetime,
    ends_at: datetime,
    note: str = "",
) -> OnCallShift:
    """Put `member` on call from `starts_at` to `ends_at` (aware; entered in local time).

    Refused without case.assign. ValidationError, naming the field: a member who is not an
    active specialist of this agency; an end not after the start; a shift that has already
    ended or is longer than LONGEST_SHIFT; a note too long; a shift overlapping another shift
    (one person is on call at a time: shorten or remove the other first).
    """
    actor.require(Perm.CASE_ASSIGN)
    note = note.strip()
    errors = {}
    if message := _member_error(actor, member):
        errors["member"] = message
    if ends_at <= starts_at:
        errors["ends_at"] = "The shift must end after it starts."
    elif ends_at <= timezone.now():
        errors["ends_at"] = "This shift has already ended."
    elif ends_at - starts_at > LONGEST_SHIFT:
        errors["ends_at"] = f"Keep a shift to {LONGEST_SHIFT.days} days; add another for more."
    if len(note) > NOTE_MAX:
        errors["note"] = f"Keep the note to {NOTE_MAX} characters."
    if errors:
        raise ValidationError(errors)
    tz = actor.agency.tz
    with transaction.atomic():
        _lock_roster(actor.agency)
        clash = (
            OnCallShift.objects.filter(
                agency=actor.agency, starts_at__lt=ends_at, ends_at__gt=starts_at
            )
            .select_related("member__user")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "starts_at": (
                        f"This overlaps {clash.member.display_name}'s shift "
                        f"({_fmt(clash.starts_at, tz)} to {_fmt(clash.ends_at, tz)}). "
                        "Remove or change that shift first."
                    )
                }
            )
        shift = OnCallShift.objects.create(
            agency=actor.agency,
            member=member,
            starts_at=starts_at,
            ends_at=ends_at,
            note=note,
            created_by=actor.membership,
        )
        audit_record(
            actor=actor,
            action=AuditAction.ONCALL_SHIFT_ADD,
            obj=shift,
            details={
                "member": member.pk,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
            },
        )
    return shift


def shift_remove(*, actor: Actor, shift: OnCallShift) -> None:
    """Take a shift off the roster. Refused without case.assign and for another agency's shift;
    a shift that has ended is history and stays (ValidationError)."""
    actor.require(Perm.CASE_ASSIGN)
    actor.require_own(shift)
    if shift.ends_at <= timezone.now():
        raise ValidationError(gettext("This shift has ended: it stays on the record."))
    with transaction.atomic():
        _lock_roster(actor.agency)
        audit_record(
            actor=actor,
            action=AuditAction.ONCALL_SHIFT_REMOVE,
            obj=shift,
            details={
                "member": shift.member_id,
                "starts_at": shift.starts_at.isoformat(),
                "ends_at": shift.ends_at.isoformat(),
            },
        )
        shift.delete()


def pattern_slot_add(
    *, actor: Actor, weekday: int, starts: time, ends: time, member: Membership
) -> OnCallPattern:
    """Add a slot to the weekly pattern: `member` on call every `weekday` from `starts` to
    `ends` (local time; an end not after the start is the next day, equal means 24 hours).

    Refused without case.assign. ValidationError, naming the field: a weekday outside 0-6, a
    member who is not an active specialist, a slot overlapping another slot of the pattern
    (across midnight and from Sunday into Monday too).
    """
    actor.require(Perm.CASE_ASSIGN)
    errors = {}
    if weekday not in range(7):
        errors["weekday"] = "Choose a day of the week."
    if message := _member_error(actor, member):
        errors["member"] = message
    if errors:
        raise ValidationError(errors)
    starts, ends = starts.replace(second=0, microsecond=0), ends.replace(second=0, microsecond=0)
    with transaction.atomic():
        _lock_roster(actor.agency)
        for other in OnCallPattern.objects.filter(agency=actor.agency).select_related(
            "member__user"
        ):
            if r.slots_overlap((weekday, starts, ends), (other.weekday, other.starts, other.ends)):
                raise ValidationError(
                    {
                        "starts": (
                            f"This overlaps {other.member.display_name}'s slot on "
                            f"{WEEKDAYS[other.weekday]} ({other.starts:%H:%M}-{other.ends:%H:%M}). "
                            "Remove that slot first."
                        )
                    }
                )
        slot = OnCallPattern.objects.create(
            agency=actor.agency, weekday=weekday, starts=starts, ends=ends, member=member
        )
        audit_record(
            actor=actor,
            action=AuditAction.ONCALL_PATTERN_CHANGE,
            obj=slot,
            details={
                "added": True,
                "weekday": weekday,
                "starts": starts.isoformat("minutes"),
                "ends": ends.isoformat("minutes"),
                "member": member.pk,
            },
        )
    return slot


def pattern_slot_remove(*, actor: Actor, slot: OnCallPattern) -> None:
    """Take a slot out of the weekly pattern (every week, from now on). Refused without
    case.assign and for another agency's slot."""
    actor.require(Perm.CASE_ASSIGN)
    actor.require_own(slot)
    with transaction.atomic():
        _lock_roster(actor.agency)
        audit_record(
            actor=actor,
            action=AuditAction.ONCALL_PATTERN_CHANGE,
            obj=slot,
            details={
                "removed": True,
                "weekday": slot.weekday,
                "starts": slot.starts.isoformat("minutes"),
                "ends": slot.ends.isoformat("minutes"),
                "member": slot.member_id,
            },
        )
        slot.delete()


def holiday_add(*, actor: Actor, day: date, name: str, member: Membership | None = None) -> Holiday:
    """Mark `day` a holiday: the weekly pattern is off from its local midnight to the next, and
    `member` (if any) is on call all day instead; shifts on that day still win. Without cover
    the day shows as a gap (24/7) or the unit is closed (service-hours mode).

    Refused without case.assign. ValidationError, naming the field: a day already past, a
    second holiday on the same day, a missing or too long name, a cover who is not an active
    specialist.
    """
    actor.require(Perm.CASE_ASSIGN)
    name = " ".join(name.split())
    errors = {}
    if day < timezone.localtime(timezone.now(), actor.agency.tz).date():
        errors["date"] = "This day is past."
    if not name:
        errors["name"] = "Name the holiday."
    elif len(name) > NAME_MAX:
        errors["name"] = f"Keep the name to {NAME_MAX} characters."
    if member is not None and (message := _member_error(actor, member)):
        errors["member"] = message
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock_roster(actor.agency)
        if Holiday.objects.filter(agency=actor.agency, date=day).exists():
            raise ValidationError({"date": gettext("This day is already a holiday.")})
        holiday = Holiday.objects.create(agency=actor.agency, date=day, name=name, member=member)
        audit_record(
            actor=actor,
            action=AuditAction.ONCALL_HOLIDAY_ADD,
            obj=holiday,
            details={"date": day.isoformat(), "member": member.pk if member else None},
        )
    return holiday


def holiday_remove(*, actor: Actor, holiday: Holiday) -> None:
    """Remove a holiday (its day follows the weekly pattern again). Refused without case.assign
    and for another agency's holiday."""
    actor.require(Perm.CASE_ASSIGN)
    actor.require_own(holiday)
    with transaction.atomic():
        _lock_roster(actor.agency)
        audit_record(
            actor=actor,
            action=AuditAction.ONCALL_HOLIDAY_REMOVE,
            obj=holiday,
            details={"date": holiday.date.isoformat(), "member": holiday.member_id},
        )
        holiday.delete()


def on_call_override_set(
    *, actor: Actor, member: Membership | None, until: datetime | None = None
) -> Agency:
    """Set the manual override (Agency.on_call): `member` is on call whenever the roster names
    nobody, until `until` if given (then nobody again), or nobody (None).

    Refused without case.assign. ValidationError, naming the field: a member who is not an
    active specialist of this agency, an `until` not in the future or given without a member.
    Audited as agency.on_call, like the older page.
    """
    actor.require(Perm.CASE_ASSIGN)
    errors = {}
    if member is not None and (message := _member_error(actor, member)):
        errors["member"] = message
    if until is not None and member is None:
        errors["until"] = "Choose who is on call, or leave the end empty."
    elif until is not None and until <= timezone.now():
        errors["until"] = "The end must be in the future."
    if errors:
        raise ValidationError(errors)
    agency = actor.agency
    with transaction.atomic():
        settings = _lock_roster(agency)
        Agency.objects.filter(pk=agency.pk).update(on_call=member)
        agency.on_call = member
        settings.override_for = member if until else None
        settings.override_until = until
        settings.save(update_fields=["override_for", "override_until", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ON_CALL_SET,
            obj=agency,
            details={
                "fields": ["on_call"],
                "on_call": member.pk if member else None,
                "until": until.isoformat() if until else None,
            },
        )
    return agency


def oncall_settings_set(
    *, actor: Actor, coverage: str, hotline: str, version: int | None = None
) -> OnCallSettings:
    """Choose the coverage mode (24/7 or the unit's service hours) and the hotline officers are
    given when the unit is closed.

    Refused without agency.configure (coordinators), and when the settings were saved since
    `version` (StaleEdit, nothing written; the version counts these settings' saves, not the
    roster's fallback). ValidationError, naming the field: an unknown mode, a hotline that is
    not a phone number (kept in E.164).
    """
    actor.require(Perm.AGENCY_CONFIGURE)
    errors = {}
    if coverage not in Coverage.values:
        errors["coverage"] = "Choose 24/7 or the unit's service hours."
    hotline = hotline.strip()
    if hotline:
        try:
            hotline = normalize_phone(hotline)
        except ValidationError as exc:
            errors["hotline"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        settings = _lock_roster(actor.agency)
        check_version(settings, version)
        changed = [
            f
            for f, value in (("coverage", coverage), ("hotline", hotline))
            if getattr(settings, f) != value
        ]
        if not changed:
            return settings
        settings.coverage = coverage
        settings.hotline = hotline
        save_versioned(settings, version=version, fields=["coverage", "hotline", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ONCALL_SETTINGS,
            obj=settings,
            details={"fields": changed, "coverage": coverage},
        )
    return settings


@dataclass(frozen=True)
class RosterHandover:
    """What happened to a leaving member's place on the roster."""

    shifts_moved: int = 0
    shifts_dropped: int = 0
    slots_moved: int = 0
    slots_dropped: int = 0


def roster_hand_over(
    *, actor: Actor, member: Membership, to: Membership | None, reason: str = ""
) -> RosterHandover:
    """A member leaves the roster (accounts' deactivation calls this inside its transaction):
    their shifts that have not ended and their weekly pattern slots go to `to`, or, with
    nobody chosen, come off the roster so it never names someone who can no longer answer
    (the supervisors are told what to fill). A shift under way is cut at now: the part already
    served stays on the record under the member's name, the rest goes to `to`.

    Refused without case.assign, for another agency's member, and for a `to` who is not an
    active specialist of the agency. Each change is audited as the roster's own actions are.
    """
    actor.require(Perm.CASE_ASSIGN)
    actor.require_own(member)
    if to is not None and (message := _member_error(actor, to)):
        raise ValidationError({"cases_to": message})
    now = timezone.now()
    with transaction.atomic():
        _lock_roster(actor.agency)
        shifts = list(
            OnCallShift.objects.filter(
                agency=actor.agency, member=member, ends_at__gt=now
            ).order_by("starts_at")
        )
        for shift in shifts:
            _hand_over_shift(actor, shift, member=member, to=to, reason=reason, now=now)
        slots = list(OnCallPattern.objects.filter(agency=actor.agency, member=member))
        for slot in slots:
            _hand_over_slot(actor, slot, member=member, to=to, reason=reason)
        # An override naming the member ends with them.
        OnCallSettings.objects.filter(agency=actor.agency, override_for=member).update(
            override_for=None, override_until=None
        )
    if to is not None:
        return RosterHandover(shifts_moved=len(shifts), slots_moved=len(slots))
    return RosterHandover(shifts_dropped=len(shifts), slots_dropped=len(slots))


def _hand_over_shift(
    actor: Actor,
    shift: OnCallShift,
    *,
    member: Membership,
    to: Membership | None,
    reason: str,
    now: datetime,
) -> None:
    """Give a shift that has not ended to `to`, or take it off the roster; one under way is
    cut at now, the part already served kept under the member's name."""
    details = {
        "member": member.pk,
        "starts_at": shift.starts_at.isoformat(),
        "ends_at": shift.ends_at.isoformat(),
        "handed_to": to.pk if to else None,
        "reason": reason,
    }
    audit_record(
        actor=actor,
        action=AuditAction.ONCALL_SHIFT_ADD if to else AuditAction.ONCALL_SHIFT_REMOVE,
        obj=shift,
        details=details,
    )
    ends_at = shift.ends_at
    if shift.starts_at < now:
        # Under way: keep the served part as history, hand over the rest.
        shift.ends_at = now
        shift.save(update_fields=["ends_at"])
        if to is not None:
            OnCallShift.objects.create(
                agency=actor.agency,
                member=to,
                starts_at=now,
                ends_at=ends_at,
                note=shift.note,
                created_by=actor.membership,
            )
    elif to is not None:
        shift.member = to
        shift.save(update_fields=["member"])
    else:
        shift.delete()


def _hand_over_slot(
    actor: Actor, slot: OnCallPattern, *, member: Membership, to: Membership | None, reason: str
) -> None:
    """Give a weekly pattern slot to `to`, or take it off the pattern."""
    audit_record(
        actor=actor,
        action=AuditAction.ONCALL_PATTERN_CHANGE,
        obj=slot,
        details={
            "handed_over" if to else "removed": True,
            "weekday": slot.weekday,
            "starts": slot.starts.isoformat("minutes"),
            "ends": slot.ends.isoformat("minutes"),
            "member": member.pk,
            "handed_to": to.pk if to else None,
            "reason": reason,
        },
    )
    if to is not None:
        slot.member = to
        slot.save(update_fields=["member"])
    else:
        slot.delete()
