"""The date arithmetic of check-ins, pure: no database, no clock, no settings.

A plan's check-ins lie on a grid counted from an anchor date: occurrence 0 is the anchor,
occurrence n is n cadence steps later, always computed from the anchor (never from the
previous one), so month ends do not drift (Jan 31, Feb 28, Mar 31) and a late or moved
check-in never shifts the ones after it. Each occurrence is a *local* date and time of day in
the agency's time zone, turned into an aware datetime only at the end: a weekly 10:00 check-in
stays at 10:00 on the wall clock across daylight-saving changes.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = "days"
WEEKS = "weeks"
MONTHS = "months"
# Every week for the first month (4 check-ins), then every month.
WEEKLY_THEN_MONTHLY = "weekly_then_monthly"
UNITS = (DAYS, WEEKS, MONTHS, WEEKLY_THEN_MONTHLY)

# Monday to Friday: the business days of an agency that has not entered its service hours.
WEEKDAYS = frozenset(range(5))
# The longest stretch searched for the next occurrence: a plan's grid never runs out, but a
# bug should fail loudly rather than loop for ever.
MAX_STEPS = 20_000


@dataclass(frozen=True)
class Cadence:
    unit: str
    every: int = 1

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"unknown cadence unit {self.unit!r}")
        if self.every < 1:
            raise ValueError("a cadence steps at least once")


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or the month's last day when it is shorter
    (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap year)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def nominal_date(anchor: date, cadence: Cadence, n: int) -> date:
    """The local date of occurrence n (0 = the anchor itself), before any business-day move."""
    if n < 0:
        raise ValueError("occurrences count from 0")
    if cadence.unit == DAYS:
        return anchor + timedelta(days=n * cadence.every)
    if cadence.unit == WEEKS:
        return anchor + timedelta(weeks=n * cadence.every)
    if cadence.unit == MONTHS:
        return add_months(anchor, n * cadence.every)
    # WEEKLY_THEN_MONTHLY: the anchor, four weekly ones, then one a month from the second
    # month on (occurrence 5 is two months after the anchor, about a month after the fourth).
    if n <= 4:
        return anchor + timedelta(weeks=n)
    return add_months(anchor, n - 3)


def next_open_day(day: date, open_weekdays: Iterable[int] | None) -> date:
    """The day itself when the unit is open that weekday (0 = Monday), else the next day it is.
    None or an empty set means every day is fine (no skipping)."""
    days = frozenset(open_weekdays or ())
    if not days:
        return day
    for _ in range(7):
        if day.weekday() in days:
            return day
        day += timedelta(days=1)
    raise AssertionError("unreachable: some weekday is open")


def local_moment(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The aware moment a local date and wall-clock time name in a time zone.

    A time that does not exist (skipped when clocks spring forward) is read with the offset
    before the change, so 02:30 on that day becomes 03:30; a time that happens twice (when
    clocks fall back) is its first occurrence, still on daylight time.

    The result is in UTC: Python compares and subtracts two datetimes of the *same* zone by
    their wall clocks, and never finds an ambiguous local time equal to a UTC one, so every
    moment leaves here in UTC and is turned into local time only to be shown.
    """
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=tz).astimezone(UTC)


def occurrence(
    anchor: date,
    cadence: Cadence,
    n: int,
    at: time,
    tz: ZoneInfo,
    open_weekdays: Iterable[int] | None = None,
) -> datetime:
    """When occurrence n falls: its local date on the grid, moved to the next open day when
    `open_weekdays` is given, at the wall-clock time `at` in `tz`."""
    day = next_open_day(nominal_date(anchor, cadence, n), open_weekdays)
    return local_moment(day, at, tz)


def next_occurrence(
    anchor: date,
    cadence: Cadence,
    at: time,
    tz: ZoneInfo,
    *,
    after: datetime,
    first: int = 0,
    open_weekdays: Iterable[int] | None = None,
) -> tuple[int, datetime]:
    """The first occurrence (its number and moment), counting from number `first`, that falls
    strictly after `after` (an aware datetime). Occurrences only move forward, so this is also
    the next one after any given occurrence: pass `after` = that one's moment."""
    if after.tzinfo is None:
        raise ValueError("`after` must be an aware datetime")
    after = after.astimezone(UTC)
    days = frozenset(open_weekdays or ())
    n = max(first, 0)
    if cadence.unit in (DAYS, WEEKS):
        # Jump close to the answer instead of walking a long-idle grid one step at a time: to
        # an occurrence surely before `after`, even once moved up to six days to an open day.
        step = cadence.every * (7 if cadence.unit == WEEKS else 1)
        behind = ((after.astimezone(tz).date() - anchor).days - 7) // step - 1
        n = max(n, behind)
    for _ in range(MAX_STEPS):
        moment = occurrence(anchor, cadence, n, at, tz, days)
        if moment > after:
            return n, moment
        n += 1
    raise AssertionError("no occurrence found: the cadence does not move forward")


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The first moment of a local day and of the next one, in UTC (23 or 25 hours apart when
    the clocks change that day)."""
    return local_moment(day, time(0), tz), local_moment(day + timedelta(days=1), time(0), tz)


def describe(cadence: Cadence) -> str:
    """The cadence as a specialist says it: "every week", "every 2 months"."""
    if cadence.unit == WEEKLY_THEN_MONTHLY:
        return "weekly for the first month, then monthly"
    word = {DAYS: "day", WEEKS: "week", MONTHS: "month"}[cadence.unit]
    if cadence.every == 1:
        return f"every {word}"
    return f"every {cadence.every} {word}s"
