"""The schedule arithmetic, table-driven: month ends, the leap day, business days, and the
daylight-saving changes of 2026 (March 8 and November 1) in Chicago and New York."""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from haven.followup.schedule import (
    WEEKDAYS,
    Cadence,
    add_months,
    describe,
    local_day_bounds,
    local_moment,
    next_occurrence,
    next_open_day,
    nominal_date,
    occurrence,
)

CHICAGO = ZoneInfo("America/Chicago")
NEW_YORK = ZoneInfo("America/New_York")
TEN = time(10, 0)
D, W, M = Cadence("days"), Cadence("weeks"), Cadence("months")
PRESET = Cadence("weekly_then_monthly")


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # a short month keeps its last day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year's February
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # the leap day, a year on
        (date(2028, 2, 29), 48, date(2032, 2, 29)),  # ... and four years on
        (date(2026, 12, 31), 2, date(2027, 2, 28)),  # across the year's end
        (date(2026, 3, 31), -1, date(2026, 2, 28)),  # backwards
        (date(2026, 5, 15), 0, date(2026, 5, 15)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
    ],
)
def test_adding_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("anchor", "cadence", "dates"),
    [
        # Monthly from the 31st: counted from the anchor, so the short months do not drift it.
        (
            date(2026, 1, 31),
            M,
            [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)],
        ),
        # Monthly from a leap day: Feb 29 only when there is one.
        (
            date(2028, 2, 29),
            Cadence("months", 6),
            [date(2028, 2, 29), date(2028, 8, 29), date(2029, 2, 28), date(2029, 8, 29)],
        ),
        # Daily across the leap day.
        (date(2028, 2, 27), D, [date(2028, 2, 27), date(2028, 2, 28), date(2028, 2, 29)]),
        # Every two weeks across the year's end.
        (
            date(2026, 12, 25),
            Cadence("weeks", 2),
            [date(2026, 12, 25), date(2027, 1, 8), date(2027, 1, 22)],
        ),
        # Every three days across a month's end.
        (date(2026, 4, 28), Cadence("days", 3), [date(2026, 4, 28), date(2026, 5, 1)]),
        # Weekly for the first month, then monthly (from the second month on).
        (
            date(2026, 1, 31),
            PRESET,
            [
                date(2026, 1, 31),
                date(2026, 2, 7),
                date(2026, 2, 14),
                date(2026, 2, 21),
                date(2026, 2, 28),
                date(2026, 3, 31),
                date(2026, 4, 30),
                date(2026, 5, 31),
            ],
        ),
    ],
)
def test_occurrences_are_counted_from_the_anchor(anchor, cadence, dates):
    assert [nominal_date(anchor, cadence, n) for n in range(len(dates))] == dates


MON_FRI = WEEKDAYS
MON_SAT = frozenset(range(6))


@pytest.mark.parametrize(
    ("day", "open_days", "expected"),
    [
        (date(2026, 1, 31), MON_FRI, date(2026, 2, 2)),  # a Saturday month end: to Monday
        (date(2026, 2, 1), MON_FRI, date(2026, 2, 2)),  # Sunday: to Monday
        (date(2026, 1, 30), MON_FRI, date(2026, 1, 30)),  # Friday stays
        (date(2026, 1, 31), MON_SAT, date(2026, 1, 31)),  # open on Saturdays
        (date(2026, 2, 1), MON_SAT, date(2026, 2, 2)),
        (date(2026, 1, 31), None, date(2026, 1, 31)),  # not moving at all
        (date(2026, 1, 31), frozenset(), date(2026, 1, 31)),
        (date(2028, 2, 26), frozenset({3}), date(2028, 3, 2)),  # Thursdays only, over Feb 29
    ],
)
def test_a_closed_day_moves_to_the_next_open_one(day, open_days, expected):
    assert next_open_day(day, open_days) == expected


@pytest.mark.parametrize(
    ("tz", "anchor", "utc_hours"),
    [
        # Spring forward on Sunday, March 8, 2026: 10:00 local is 16:00 UTC, then 15:00.
        (CHICAGO, date(2026, 3, 1), [16, 15, 15]),
        (NEW_YORK, date(2026, 3, 1), [15, 14, 14]),
        # Fall back on Sunday, November 1, 2026: the other way.
        (CHICAGO, date(2026, 10, 25), [15, 16, 16]),
        (NEW_YORK, date(2026, 10, 25), [14, 15, 15]),
    ],
)
def test_a_weekly_ten_oclock_check_in_stays_at_ten_local_across_daylight_saving(
    tz, anchor, utc_hours
):
    moments = [occurrence(anchor, W, n, TEN, tz) for n in range(3)]
    weekly = [anchor + timedelta(weeks=n) for n in range(3)]
    expected = [utc(d.year, d.month, d.day, h) for d, h in zip(weekly, utc_hours, strict=True)]
    assert moments == expected
    assert {m.astimezone(tz).time() for m in moments} == {TEN}


@pytest.mark.parametrize(
    ("tz", "day", "at", "expected_utc", "expected_local"),
    [
        # 02:30 does not exist when clocks spring forward: it becomes 03:30 daylight time.
        (CHICAGO, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 8, 30), time(3, 30)),
        (NEW_YORK, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 30), time(3, 30)),
        # 01:30 happens twice when they fall back: the first, still on daylight time.
        (CHICAGO, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 6, 30), time(1, 30)),
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30), time(1, 30)),
        # An ordinary hour on those days.
        (CHICAGO, date(2026, 3, 8), TEN, utc(2026, 3, 8, 15), TEN),
        (NEW_YORK, date(2026, 11, 1), TEN, utc(2026, 11, 1, 15), TEN),
    ],
)
def test_wall_clock_times_that_do_not_exist_or_happen_twice(
    tz, day, at, expected_utc, expected_local
):
    moment = local_moment(day, at, tz)
    assert moment == expected_utc
    assert moment.astimezone(tz).time() == expected_local
    assert moment.astimezone(tz).date() == day


@pytest.mark.parametrize(
    ("tz", "day", "hours"),
    [
        (CHICAGO, date(2026, 3, 8), 23),
        (CHICAGO, date(2026, 11, 1), 25),
        (NEW_YORK, date(2026, 3, 8), 23),
        (NEW_YORK, date(2026, 11, 1), 25),
        (NEW_YORK, date(2026, 6, 1), 24),
    ],
)
def test_a_local_day_is_23_or_25_hours_long_when_the_clocks_change(tz, day, hours):
    start, end = local_day_bounds(day, tz)
    assert end - start == timedelta(hours=hours)
    assert start.astimezone(tz).time() == time(0) == end.astimezone(tz).time()


@pytest.mark.parametrize(
    ("tz", "anchor", "cadence", "after", "expected"),
    [
        # Strictly after: the check-in at exactly `after` is not the next one.
        (CHICAGO, date(2026, 3, 1), W, utc(2026, 3, 8, 15), (2, utc(2026, 3, 15, 15))),
        (CHICAGO, date(2026, 3, 1), W, utc(2026, 3, 8, 14, 59), (1, utc(2026, 3, 8, 15))),
        # Before the anchor: the anchor itself.
        (NEW_YORK, date(2026, 3, 1), W, utc(2026, 2, 1), (0, utc(2026, 3, 1, 15))),
        # Monthly from Jan 31 in New York, over the spring change: Mar 31 at 10:00 EDT.
        (NEW_YORK, date(2026, 1, 31), M, utc(2026, 3, 1), (2, utc(2026, 3, 31, 14))),
        # The preset, just after its fourth weekly check-in: two months after the anchor.
        (CHICAGO, date(2026, 1, 31), PRESET, utc(2026, 2, 28, 17), (5, utc(2026, 3, 31, 15))),
        # Every day, a year and more after the anchor (the jump ahead lands right).
        (CHICAGO, date(2025, 1, 1), D, utc(2026, 11, 1, 12), (669, utc(2026, 11, 1, 16))),
    ],
)
def test_the_next_occurrence_after_a_moment(tz, anchor, cadence, after, expected):
    assert next_occurrence(anchor, cadence, TEN, tz, after=after) == expected


def test_with_business_days_a_weekend_check_in_is_on_monday_and_the_next_on_tuesday():
    # Daily from Friday Jan 30, 2026: Saturday and Sunday both fall on Monday at 10:00.
    anchor = date(2026, 1, 30)
    monday_ten = utc(2026, 2, 2, 16)
    assert next_occurrence(
        anchor, D, TEN, CHICAGO, after=utc(2026, 1, 30, 17), open_weekdays=MON_FRI
    ) == (1, monday_ten)
    # After Monday's, the next is Tuesday's: Sunday's and Monday's own land on Monday too.
    assert next_occurrence(
        anchor, D, TEN, CHICAGO, after=monday_ten, first=2, open_weekdays=MON_FRI
    ) == (4, utc(2026, 2, 3, 16))


def test_a_weekly_check_in_moved_off_a_weekend_does_not_shift_the_ones_after():
    # Saturdays from Jan 31, 2026, moved to Mondays; the grid stays on Saturdays.
    anchor = date(2026, 1, 31)
    dates = [
        occurrence(anchor, W, n, TEN, NEW_YORK, MON_FRI).astimezone(NEW_YORK).date()
        for n in range(3)
    ]
    assert dates == [date(2026, 2, 2), date(2026, 2, 9), date(2026, 2, 16)]


def test_first_skips_occurrences_before_it():
    assert next_occurrence(date(2026, 3, 1), W, TEN, CHICAGO, after=utc(2026, 1, 1), first=3) == (
        3,
        utc(2026, 3, 22, 15),
    )


@pytest.mark.parametrize("seed", range(5))
def test_the_jump_ahead_finds_what_walking_one_step_at_a_time_finds(seed):
    rng = random.Random(seed)
    for _ in range(40):
        tz = rng.choice([CHICAGO, NEW_YORK])
        cadence = Cadence(rng.choice(["days", "weeks"]), rng.randint(1, 5))
        anchor = date(2024, 1, 1) + timedelta(days=rng.randint(0, 900))
        after = utc(2024, 1, 1) + timedelta(hours=rng.randint(0, 24 * 1200))
        open_days = rng.choice([None, MON_FRI, frozenset({0, 2, 4})])
        n = 0
        while occurrence(anchor, cadence, n, TEN, tz, open_days) <= after:
            n += 1
        expected = (n, occurrence(anchor, cadence, n, TEN, tz, open_days))
        got = next_occurrence(anchor, cadence, TEN, tz, after=after, open_weekdays=open_days)
        assert got == expected, (anchor, cadence, after, open_days)


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="aware"):
        next_occurrence(date(2026, 3, 1), W, TEN, CHICAGO, after=datetime(2026, 3, 1))


@pytest.mark.parametrize(
    ("cadence", "text"),
    [
        (D, "every day"),
        (Cadence("days", 3), "every 3 days"),
        (W, "every week"),
        (Cadence("weeks", 2), "every 2 weeks"),
        (M, "every month"),
        (PRESET, "weekly for the first month, then monthly"),
    ],
)
def test_a_cadence_reads_as_a_specialist_says_it(cadence, text):
    assert describe(cadence) == text


def test_an_unknown_or_zero_cadence_is_refused():
    with pytest.raises(ValueError):
        Cadence("fortnights")
    with pytest.raises(ValueError):
        Cadence("days", 0)
