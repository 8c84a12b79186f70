"""Reads of the on-call roster: whom to call now (`on_call_now`, also who gets a referral), the
roster's days for the coordinator's page, and the rows the page lists.

Every query filters by the agency explicitly, on top of the request's (or task's) scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from haven.agencies.models import Agency, Membership, ServiceHours
from haven.agencies.roles import CASEWORKER_ROLES
from haven.core.actor import Actor
from haven.lib.phones import display_phone, normalize_phone
from haven.oncall import roster as r
from haven.oncall.models import Coverage, Holiday, OnCallPattern, OnCallSettings, OnCallShift
from haven.oncall.roster import Source

# How far ahead "until" and "the unit opens" are looked for: past it, "until further notice".
LOOKAHEAD = timedelta(days=15)
_UNREAD = object()


def rosterable_members(agency: Agency) -> QuerySet[Membership]:
    """Who may be put on call: the agency's active members in a caseworker's role."""
    return (
        Membership.objects.filter(agency=agency, is_active=True, role__in=CASEWORKER_ROLES)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def settings_for(agency: Agency) -> OnCallSettings:
    """The agency's settings row, or an unsaved one with the defaults."""
    return OnCallSettings.objects.filter(agency=agency).first() or OnCallSettings(agency=agency)


def _manual(
    agency: Agency, settings: OnCallSettings, on_call_id: int | None
) -> tuple[int | None, datetime | None]:
    """The manual override (Agency.on_call) while its member can still take cases, and when it
    lapses."""
    if on_call_id is None or not rosterable_members(agency).filter(pk=on_call_id).exists():
        return None, None
    until = settings.override_until if settings.override_for_id == on_call_id else None
    return on_call_id, until


def _agency_row(agency: Agency) -> dict:
    """The agency's on-call member and phone as stored now, not as the (possibly older)
    `agency` object has them."""
    return Agency.objects.filter(pk=agency.pk).values("on_call", "phone").first() or {}


def load_roster(
    agency: Agency,
    start: datetime,
    end: datetime,
    *,
    settings: OnCallSettings | None = None,
    on_call_id: int | None | object = _UNREAD,
) -> r.Roster:
    """The roster rows that can decide any instant of [start, end), as roster.py's dataclasses.
    Rows of members who can no longer take cases are left out: their time falls through to the
    next rule (and shows as a gap when nothing takes it). `settings` and the agency's on-call
    member are read here unless given."""
    tz = agency.tz
    settings = settings or settings_for(agency)
    if on_call_id is _UNREAD:
        on_call_id = _agency_row(agency).get("on_call")
    active = {"member__is_active": True, "member__role__in": CASEWORKER_ROLES}
    shifts = OnCallShift.objects.filter(
        agency=agency, ends_at__gt=start, starts_at__lt=end, **active
    ).values_list("id", "member_id", "starts_at", "ends_at")
    slots = OnCallPattern.objects.filter(agency=agency, **active).values_list(
        "id", "weekday", "starts", "ends", "member_id"
    )
    holidays = Holiday.objects.filter(
        agency=agency,
        date__gte=r.local_date(start, tz) - timedelta(days=1),
        date__lte=r.local_date(end, tz) + timedelta(days=1),
    ).values_list("id", "date", "name", "member_id", "member__is_active", "member__role")
    service_hours_only = settings.coverage == Coverage.SERVICE_HOURS
    hours = (
        ServiceHours.objects.filter(agency=agency).values_list("weekday", "opens", "closes")
        if service_hours_only
        else []
    )
    manual_id, manual_until = _manual(agency, settings, on_call_id)
    return r.Roster(
        tz=tz,
        shifts=tuple(r.Shift(m, s, e, id=pk) for pk, m, s, e in shifts),
        pattern=tuple(r.Slot(w, s, e, m, id=pk) for pk, w, s, e, m in slots),
        holidays=tuple(
            r.HolidayRule(
                day, name, m if m is not None and ok and role in CASEWORKER_ROLES else None, pk
            )
            for pk, day, name, m, ok, role in holidays
        ),
        service_hours_only=service_hours_only,
        hours=tuple(r.Hours(*row) for row in hours),
        manual_member_id=manual_id,
        manual_until=manual_until,
    )


def _members(agency: Agency, ids) -> dict[int, Membership]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {
        m.pk: m for m in Membership.objects.filter(agency=agency, pk__in=ids).select_related("user")
    }


def phone_and_tel(value: str) -> tuple[str, str]:
    """A phone as shown ("(312) 555-0101") and for a tel: link ("+13125550101")."""
    value = (value or "").strip()
    if not value:
        return "", ""
    try:
        e164 = normalize_phone(value)
    except ValidationError:
        return value, "".join(c for c in value if c.isdigit() or c == "+")
    return display_phone(e164), e164


@dataclass(frozen=True)
class OnCall:
    """Whom an officer calls now, and where that answer came from."""

    at: datetime
    source: Source
    member: Membership | None  # None: nobody on call (or the unit is closed)
    phone: str  # the member's phone as shown, "" without one
    tel: str
    # When the answer changes: the member stops being on call; with nobody, someone is on call
    # or the unit opens. None: not within LOOKAHEAD ("until further notice").
    until: datetime | None
    holiday: str  # the holiday's name when a holiday decided
    unit_phone: str
    unit_tel: str
    hotline: str
    hotline_tel: str

    @property
    def closed(self) -> bool:
        return self.source == Source.CLOSED

    @property
    def opens_at(self) -> datetime | None:
        return self.until if self.closed else None


def on_call_now(agency: Agency, at: datetime | None = None) -> OnCall:
    """Who is on call at `at` (now by default), by the roster's precedence: explicit shift >
    holiday cover > (closed, in service-hours mode) > weekly pattern > manual Agency.on_call >
    nobody, with their phone, until when, and the unit's and hotline phones as fallbacks.

    Only an active member in a caseworker's role of this agency is ever returned. Reads the
    agency's rows fresh (not the possibly older `agency` object's fields) and needs the agency's
    scope (or none disabled), like every tenant query.
    """
    at = at or timezone.now()
    settings = settings_for(agency)
    row = _agency_row(agency)
    roster = load_roster(
        agency, at, at + LOOKAHEAD, settings=settings, on_call_id=row.get("on_call")
    )
    segments = r.timeline(roster, at, at + LOOKAHEAD)
    cover = segments[0].cover
    member = _members(agency, [cover.member_id]).get(cover.member_id)
    phone, tel = phone_and_tel(member.phone if member else "")
    unit_phone, unit_tel = phone_and_tel(row.get("phone") or "")
    hotline, hotline_tel = phone_and_tel(settings.hotline)
    return OnCall(
        at=at,
        source=cover.source,
        member=member,
        phone=phone,
        tel=tel,
        until=r.run_end(segments),
        holiday=cover.label,
        unit_phone=unit_phone,
        unit_tel=unit_tel,
        hotline=hotline,
        hotline_tel=hotline_tel,
    )


@dataclass(frozen=True)
class RosterEntry:
    starts_at: datetime
    ends_at: datetime
    source: Source
    member: Membership | None
    label: str
    from_midnight: bool  # starts at the day's first instant
    to_midnight: bool  # runs to the day's end

    @property
    def gap(self) -> bool:
        return self.source == Source.NOBODY


@dataclass(frozen=True)
class RosterDay:
    day: date
    entries: list[RosterEntry]

    @property
    def has_gap(self) -> bool:
        return any(e.gap for e in self.entries)

    @property
    def holiday(self) -> str:
        return next((e.label for e in self.entries if e.label), "")


def roster_days(actor: Actor, first_day: date, days: int = 14) -> list[RosterDay]:
    """Who covers each local day from `first_day`, split where the answer changes; the caller
    checks permission (the roster is for case.assign holders)."""
    agency = actor.agency
    day_list = [first_day + timedelta(days=n) for n in range(days)]
    start = r.day_window(day_list[0], agency.tz)[0]
    end = r.day_window(day_list[-1], agency.tz)[1]
    roster = load_roster(agency, start, end)
    segments = r.timeline(roster, start, end)
    members = _members(agency, [s.cover.member_id for s in segments])
    result = []
    for day, clipped in r.split_by_day(segments, day_list, agency.tz):
        day_start, day_end = r.day_window(day, agency.tz)
        entries = [
            RosterEntry(
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                source=s.cover.source,
                member=members.get(s.cover.member_id),
                label=s.cover.label,
                from_midnight=s.starts_at == day_start,
                to_midnight=s.ends_at == day_end,
            )
            for s in clipped
        ]
        result.append(RosterDay(day, entries))
    return result


def shifts_upcoming(actor: Actor) -> QuerySet[OnCallShift]:
    """The agency's shifts not yet over, soonest first."""
    return OnCallShift.objects.filter(
        agency=actor.agency, ends_at__gt=timezone.now()
    ).select_related("member__user")


def pattern_slots(actor: Actor) -> QuerySet[OnCallPattern]:
    return OnCallPattern.objects.filter(agency=actor.agency).select_related("member__user")


def holidays_upcoming(actor: Actor) -> QuerySet[Holiday]:
    today = timezone.localtime(timezone.now(), actor.agency.tz).date()
    return Holiday.objects.filter(agency=actor.agency, date__gte=today).select_related(
        "member__user"
    )
