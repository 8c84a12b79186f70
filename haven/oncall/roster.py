"""Who covers an instant: pure time arithmetic over the roster, in the agency's time zone.

No database here. selectors.py loads the rows into the plain dataclasses below, and the
officer's page, the roster's two weeks and the referral's assignee are all decided by
`cover_at` and `timeline`, so they cannot disagree.

The rules (docs/architecture.md, "On call"):
- At an instant, the first that applies wins: an explicit shift; the cover of the holiday the
  instant falls on; "closed" (service-hours mode, outside the unit's hours or on a holiday
  without cover); the weekly pattern (never on a holiday); the manual override until it lapses;
  nobody.
- A pattern slot or service hours "22:00-06:00" end on the next day; equal start and end
  times mean 24 hours. Local times become instants on the day they name, in the agency's zone,
  so on the night clocks change a 22:00-06:00 slot lasts 7 (spring) or 9 (autumn) real hours.
  A local time that does not exist (02:30 as clocks spring forward) is read with the offset
  before the change (it is 03:30 daylight time); one that happens twice is its first occurrence.
- A holiday lasts from its local midnight to the next: 23 or 25 hours when clocks change. It
  masks instants, not slots: a pattern slot from the evening before runs until midnight, and a
  slot that starts on the holiday is off for the part of it on the holiday.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


class Source(StrEnum):
    """Where the answer at an instant comes from."""

    SHIFT = "shift"  # an explicit shift on the roster
    HOLIDAY = "holiday"  # the cover of the holiday the instant falls on
    PATTERN = "pattern"  # the weekly pattern
    MANUAL = "manual"  # Agency.on_call, set by hand (the fallback)
    CLOSED = "closed"  # service-hours mode, outside the unit's hours
    NOBODY = "nobody"  # nobody: officers are given the unit's phone


@dataclass(frozen=True)
class Shift:
    member_id: int
    starts_at: datetime
    ends_at: datetime
    id: int | None = None


@dataclass(frozen=True)
class Slot:
    """One slot of the weekly pattern (weekday 0 = Monday), in local time."""

    weekday: int
    starts: time
    ends: time
    member_id: int
    id: int | None = None


@dataclass(frozen=True)
class HolidayRule:
    day: date
    name: str
    member_id: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class Hours:
    """The unit's service hours on one weekday, in local time."""

    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class Roster:
    tz: ZoneInfo
    shifts: tuple[Shift, ...] = ()
    pattern: tuple[Slot, ...] = ()
    holidays: tuple[HolidayRule, ...] = ()
    service_hours_only: bool = False
    hours: tuple[Hours, ...] = ()
    manual_member_id: int | None = None
    manual_until: datetime | None = None


@dataclass(frozen=True)
class Cover:
    """Who covers (None: nobody), from where, and what decided it (a row's id, a holiday's
    name)."""

    source: Source
    member_id: int | None = None
    ref: int | None = None
    label: str = ""


@dataclass(frozen=True)
class Segment:
    starts_at: datetime
    ends_at: datetime
    cover: Cover


def instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant (in UTC) of a local date and time; fold=0 reads a skipped time with the
    offset before the change and a repeated time as its first occurrence."""
    return datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz).astimezone(UTC)


def local_window(day: date, starts: time, ends: time, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants a local "starts-ends" on `day` spans; ends on the next day when it is not
    after `starts`."""
    end_day = day if ends > starts else day + timedelta(days=1)
    return instant(day, starts, tz), instant(end_day, ends, tz)


def day_window(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """A local day from midnight to midnight (23 or 25 hours when clocks change)."""
    return instant(day, time(0), tz), instant(day + timedelta(days=1), time(0), tz)


def local_date(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()


def _in_weekly(entries, at: datetime, tz: ZoneInfo, start_attr: str, end_attr: str):
    """The first weekly entry whose window (from the instant's day or the day before, for one
    crossing midnight) holds `at`."""
    today = local_date(at, tz)
    for day in (today - timedelta(days=1), today):
        for entry in entries:
            if entry.weekday != day.weekday():
                continue
            start, end = local_window(day, getattr(entry, start_attr), getattr(entry, end_attr), tz)
            if start <= at < end:
                return entry
    return None


def is_open(roster: Roster, at: datetime) -> bool:
    """Whether the unit's service hours hold `at` (holidays aside)."""
    return _in_weekly(roster.hours, at, roster.tz, "opens", "closes") is not None


def cover_at(roster: Roster, at: datetime) -> Cover:
    """Who covers the instant `at`, and why (the precedence in the module's docstring)."""
    for shift in roster.shifts:
        if shift.starts_at <= at < shift.ends_at:
            return Cover(Source.SHIFT, shift.member_id, shift.id)
    today = local_date(at, roster.tz)
    holiday = next((h for h in roster.holidays if h.day == today), None)
    if holiday is not None and holiday.member_id is not None:
        return Cover(Source.HOLIDAY, holiday.member_id, holiday.id, holiday.name)
    if roster.service_hours_only and (holiday is not None or not is_open(roster, at)):
        return Cover(Source.CLOSED, label=holiday.name if holiday else "")
    if holiday is None:
        slot = _in_weekly(roster.pattern, at, roster.tz, "starts", "ends")
        if slot is not None:
            return Cover(Source.PATTERN, slot.member_id, slot.id)
    if roster.manual_member_id is not None and (
        roster.manual_until is None or at < roster.manual_until
    ):
        return Cover(Source.MANUAL, roster.manual_member_id)
    return Cover(Source.NOBODY, label=holiday.name if holiday else "")


def _boundaries(roster: Roster, start: datetime, end: datetime) -> list[datetime]:
    """Every instant in [start, end) at which the answer may change."""
    tz = roster.tz
    points = {start}
    day = local_date(start, tz) - timedelta(days=1)
    last = local_date(end, tz) + timedelta(days=1)
    while day <= last:
        points.add(day_window(day, tz)[0])
        for slot in roster.pattern:
            if slot.weekday == day.weekday():
                points.update(local_window(day, slot.starts, slot.ends, tz))
        for hours in roster.hours if roster.service_hours_only else ():
            if hours.weekday == day.weekday():
                points.update(local_window(day, hours.opens, hours.closes, tz))
        day += timedelta(days=1)
    for shift in roster.shifts:
        points.update((shift.starts_at, shift.ends_at))
    if roster.manual_until is not None:
        points.add(roster.manual_until)
    return sorted(p for p in points if start <= p < end)


def timeline(roster: Roster, start: datetime, end: datetime) -> list[Segment]:
    """Who covers every instant of [start, end), as consecutive segments with one answer each
    (adjacent segments always differ)."""
    points = _boundaries(roster, start, end)
    segments: list[Segment] = []
    for a, b in pairwise([*points, end]):
        cover = cover_at(roster, a)
        if segments and segments[-1].cover == cover:
            segments[-1] = replace(segments[-1], ends_at=b)
        else:
            segments.append(Segment(a, b, cover))
    return segments


def _who(cover: Cover):
    return cover.member_id if cover.member_id is not None else cover.source


def run_end(segments: list[Segment]) -> datetime | None:
    """When the answer of the first segment changes: the member on call stops being on call
    (whatever the source that keeps them on), or, with nobody, someone is on call or the unit
    opens. None when it holds to the end of the segments ("until further notice")."""
    if not segments:
        return None
    first = _who(segments[0].cover)
    return next((s.starts_at for s in segments if _who(s.cover) != first), None)


def split_by_day(segments: list[Segment], days: list[date], tz: ZoneInfo):
    """[(day, [segments clipped to that local day])] for each of `days`."""
    result = []
    for day in days:
        start, end = day_window(day, tz)
        clipped = [
            replace(s, starts_at=max(s.starts_at, start), ends_at=min(s.ends_at, end))
            for s in segments
            if s.starts_at < end and s.ends_at > start
        ]
        result.append((day, clipped))
    return result


# Validation helpers for the services.


def shifts_overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def slot_span(weekday: int, starts: time, ends: time) -> tuple[int, int]:
    """A pattern slot as minutes of the week [start, end); the end may pass the week's end."""
    start_min = starts.hour * 60 + starts.minute
    length = (ends.hour * 60 + ends.minute - start_min) % MINUTES_PER_DAY or MINUTES_PER_DAY
    start = weekday * MINUTES_PER_DAY + start_min
    return start, start + length


def slots_overlap(a: tuple[int, time, time], b: tuple[int, time, time]) -> bool:
    """Whether two pattern slots (weekday, starts, ends) share a minute of the weekly cycle,
    Sunday night running into Monday included."""
    a_start, a_end = slot_span(*a)
    b_start, b_end = slot_span(*b)
    return any(
        a_start < b_end + shift and b_start + shift < a_end
        for shift in (-MINUTES_PER_WEEK, 0, MINUTES_PER_WEEK)
    )
