"""The roster's time arithmetic, without a database: local windows across midnight and clock
changes, holidays, the coverage mode and the precedence of the sources."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from haven.oncall import roster as r
from haven.oncall.roster import Source

CHICAGO = ZoneInfo("America/Chicago")
DAY, NIGHT, WEEKEND, EXTRA, COVER, MANUAL = 1, 2, 3, 4, 5, 6

# Weekdays 08-17 DAY, weekends 08-17 WEEKEND, every night 17-08 NIGHT: no hour uncovered.
PATTERN = (
    *(r.Slot(d, time(8), time(17), DAY, id=10 + d) for d in range(5)),
    *(r.Slot(d, time(8), time(17), WEEKEND, id=20 + d) for d in (5, 6)),
    *(r.Slot(d, time(17), time(8), NIGHT, id=30 + d) for d in range(7)),
)
# Monday to Friday, 08:00 to 17:00.
HOURS = tuple(r.Hours(d, time(8), time(17)) for d in range(5))
THANKSGIVING = r.HolidayRule(date(2025, 11, 27), "Thanksgiving", COVER, id=1)
UNCOVERED = r.HolidayRule(date(2025, 11, 27), "Thanksgiving", None, id=1)


def local(text: str, fold: int = 0) -> datetime:
    """An instant given as Chicago wall time ("2025-11-03 09:00"); fold=1 for the second
    occurrence of a repeated time."""
    return datetime.fromisoformat(text).replace(tzinfo=CHICAGO, fold=fold).astimezone(UTC)


def roster(**extra) -> r.Roster:
    return r.Roster(tz=CHICAGO, pattern=PATTERN, **extra)


def hours_between(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 3600


@pytest.mark.parametrize(
    ("day", "starts", "ends", "hours"),
    [
        (date(2025, 6, 7), time(22), time(6), 8),  # an ordinary night
        (date(2025, 11, 1), time(22), time(6), 9),  # clocks fall back at 02:00
        (date(2025, 3, 8), time(22), time(6), 7),  # clocks spring forward at 02:00
        (date(2025, 6, 9), time(8), time(17), 9),
        (date(2025, 6, 9), time(8), time(8), 24),  # equal times: a whole day
        (date(2025, 11, 2), time(0), time(0), 25),
        (date(2025, 3, 9), time(0), time(0), 23),
        (date(2025, 3, 9), time(2, 30), time(4), 0.5),  # 02:30 does not exist: read as 03:30
    ],
)
def test_a_local_window_lasts_the_real_hours_between_its_wall_times(day, starts, ends, hours):
    start, end = r.local_window(day, starts, ends, CHICAGO)
    assert hours_between(start, end) == hours
    assert start.astimezone(CHICAGO).date() == day


@pytest.mark.parametrize(
    ("at", "source", "member"),
    [
        (local("2025-11-03 09:00"), Source.PATTERN, DAY),  # Monday morning
        (local("2025-11-03 16:59"), Source.PATTERN, DAY),
        (local("2025-11-03 17:00"), Source.PATTERN, NIGHT),  # a slot starts at its start...
        (local("2025-11-04 07:59"), Source.PATTERN, NIGHT),  # ...runs past midnight...
        (local("2025-11-04 08:00"), Source.PATTERN, DAY),  # ...and ends at its end
        (local("2025-11-03 03:00"), Source.PATTERN, NIGHT),  # Sunday's night into Monday
        (local("2025-11-08 12:00"), Source.PATTERN, WEEKEND),
        # The night clocks fall back: both 01:30s and the 06:00 after are still covered.
        (local("2025-11-02 01:30"), Source.PATTERN, NIGHT),
        (local("2025-11-02 01:30", fold=1), Source.PATTERN, NIGHT),
        (local("2025-11-02 07:59"), Source.PATTERN, NIGHT),
        (local("2025-11-02 08:00"), Source.PATTERN, WEEKEND),
        # The night clocks spring forward.
        (local("2025-03-09 03:30"), Source.PATTERN, NIGHT),
        (local("2025-03-09 08:00"), Source.PATTERN, WEEKEND),
    ],
)
def test_the_weekly_pattern_covers_every_hour_across_midnight_and_clock_changes(at, source, member):
    cover = r.cover_at(roster(), at)
    assert (cover.source, cover.member_id) == (source, member)


def test_a_22_to_06_shift_on_the_night_clocks_fall_back_covers_nine_real_hours():
    start, end = local("2025-11-01 22:00"), local("2025-11-02 06:00")
    shift = r.Shift(EXTRA, start, end, id=7)
    data = roster(shifts=(shift,))
    assert hours_between(start, end) == 9
    covered = [
        s
        for s in r.timeline(data, start - timedelta(hours=1), end + timedelta(hours=1))
        if s.cover.source == Source.SHIFT
    ]
    assert [(s.starts_at, s.ends_at, s.cover.member_id) for s in covered] == [(start, end, EXTRA)]
    for at in (local("2025-11-02 01:30"), local("2025-11-02 01:30", fold=1)):
        assert r.cover_at(data, at) == r.Cover(Source.SHIFT, EXTRA, 7)
    assert r.cover_at(data, end).member_id == NIGHT


def test_a_22_to_06_shift_on_the_night_clocks_spring_forward_covers_seven_real_hours():
    start, end = local("2025-03-08 22:00"), local("2025-03-09 06:00")
    data = roster(shifts=(r.Shift(EXTRA, start, end, id=7),))
    assert hours_between(start, end) == 7
    assert r.cover_at(data, local("2025-03-09 03:00")).member_id == EXTRA
    assert r.run_end(r.timeline(data, start, start + timedelta(days=1))) == end


HOLIDAY_CASES = [
    # (what, holidays, service hours only, manual, at, expected source, member, label)
    (
        "cover on the day",
        (THANKSGIVING,),
        False,
        None,
        "2025-11-27 12:00",
        Source.HOLIDAY,
        COVER,
        "Thanksgiving",
    ),
    (
        "from its midnight",
        (THANKSGIVING,),
        False,
        None,
        "2025-11-27 00:00",
        Source.HOLIDAY,
        COVER,
        "Thanksgiving",
    ),
    (
        "the eve's night slot runs to midnight",
        (THANKSGIVING,),
        False,
        None,
        "2025-11-26 23:59",
        Source.PATTERN,
        NIGHT,
        "",
    ),
    (
        "the holiday's own night slot runs on after it",
        (THANKSGIVING,),
        False,
        None,
        "2025-11-28 02:00",
        Source.PATTERN,
        NIGHT,
        "",
    ),
    (
        "no cover, 24/7, no fallback: a gap",
        (UNCOVERED,),
        False,
        None,
        "2025-11-27 12:00",
        Source.NOBODY,
        None,
        "Thanksgiving",
    ),
    (
        "no cover, 24/7: the fallback",
        (UNCOVERED,),
        False,
        MANUAL,
        "2025-11-27 12:00",
        Source.MANUAL,
        MANUAL,
        "",
    ),
    (
        "no cover, service hours: closed",
        (UNCOVERED,),
        True,
        MANUAL,
        "2025-11-27 12:00",
        Source.CLOSED,
        None,
        "Thanksgiving",
    ),
    (
        "cover, service hours: still covered",
        (THANKSGIVING,),
        True,
        None,
        "2025-11-27 20:00",
        Source.HOLIDAY,
        COVER,
        "Thanksgiving",
    ),
]


@pytest.mark.parametrize(
    ("what", "holidays", "service_hours", "manual", "at", "source", "member", "label"),
    HOLIDAY_CASES,
    ids=[case[0] for case in HOLIDAY_CASES],
)
def test_a_holiday_replaces_the_pattern_from_midnight_to_midnight(
    what, holidays, service_hours, manual, at, source, member, label
):
    data = roster(
        holidays=holidays, service_hours_only=service_hours, hours=HOURS, manual_member_id=manual
    )
    cover = r.cover_at(data, local(at))
    assert (cover.source, cover.member_id, cover.label) == (source, member, label)


def test_a_holiday_on_the_day_clocks_fall_back_lasts_25_hours():
    holiday = r.HolidayRule(date(2025, 11, 2), "Extra hour day", COVER, id=2)
    start = local("2025-11-01 12:00")
    segments = r.timeline(roster(holidays=(holiday,)), start, start + timedelta(days=2))
    covered = [s for s in segments if s.cover.source == Source.HOLIDAY]
    assert len(covered) == 1
    assert covered[0].starts_at == local("2025-11-02 00:00")
    assert hours_between(covered[0].starts_at, covered[0].ends_at) == 25


PRECEDENCE_CASES = [
    # (what, at, expected source, member); see `precedence_roster`.
    ("a shift beats the holiday's cover", "2025-11-27 10:00", Source.SHIFT, EXTRA),
    ("the holiday's cover beats the pattern", "2025-11-27 14:00", Source.HOLIDAY, COVER),
    ("a shift beats the pattern", "2025-11-24 10:00", Source.SHIFT, EXTRA),
    ("the pattern beats the fallback", "2025-11-24 14:00", Source.PATTERN, DAY),
    ("the fallback fills the pattern's hole", "2025-11-25 12:30", Source.MANUAL, MANUAL),
    ("the fallback lapses at its end", "2025-12-02 12:30", Source.NOBODY, None),
]


def precedence_roster(**extra) -> r.Roster:
    """Weekdays 08-17 DAY except Tuesdays 12-13 (a hole); shifts on Mon 24 Nov and
    Thanksgiving 09-12; Thanksgiving covered by COVER; the fallback MANUAL until Dec 1."""
    pattern = tuple(s for s in PATTERN if not (s.member_id == DAY and s.weekday == 1)) + (
        r.Slot(1, time(8), time(12), DAY, id=91),
        r.Slot(1, time(13), time(17), DAY, id=92),
    )
    shifts = (
        r.Shift(EXTRA, local("2025-11-24 09:00"), local("2025-11-24 12:00"), id=1),
        r.Shift(EXTRA, local("2025-11-27 09:00"), local("2025-11-27 12:00"), id=2),
    )
    return r.Roster(
        tz=CHICAGO,
        pattern=pattern,
        shifts=shifts,
        holidays=(THANKSGIVING,),
        manual_member_id=MANUAL,
        manual_until=local("2025-12-01 00:00"),
        **extra,
    )


@pytest.mark.parametrize(
    ("what", "at", "source", "member"), PRECEDENCE_CASES, ids=[c[0] for c in PRECEDENCE_CASES]
)
def test_shift_beats_holiday_beats_pattern_beats_the_fallback_beats_nobody(
    what, at, source, member
):
    cover = r.cover_at(precedence_roster(), local(at))
    assert (cover.source, cover.member_id) == (source, member)


SERVICE_HOURS_CASES = [
    ("open, the pattern covers", "2025-11-24 14:00", Source.PATTERN, DAY),
    (
        "closed in the evening though the pattern has someone",
        "2025-11-24 18:00",
        Source.CLOSED,
        None,
    ),
    ("closed at the weekend", "2025-11-29 12:00", Source.CLOSED, None),
    ("a shift counts even when closed", "2025-11-29 20:00", Source.SHIFT, EXTRA),
    ("open, no pattern: the fallback", "2025-11-25 12:30", Source.MANUAL, MANUAL),
]


@pytest.mark.parametrize(
    ("what", "at", "source", "member"),
    SERVICE_HOURS_CASES,
    ids=[c[0] for c in SERVICE_HOURS_CASES],
)
def test_in_service_hours_mode_the_unit_is_closed_outside_its_hours(what, at, source, member):
    data = precedence_roster(service_hours_only=True, hours=HOURS)
    saturday_evening = r.Shift(EXTRA, local("2025-11-29 19:00"), local("2025-11-29 23:00"), id=3)
    data = replace(data, shifts=(*data.shifts, saturday_evening))
    cover = r.cover_at(data, local(at))
    assert (cover.source, cover.member_id) == (source, member)


def test_the_timeline_covers_every_instant_once_and_adjacent_segments_differ():
    start = local("2025-11-24 00:00")
    end = start + timedelta(days=14)
    segments = r.timeline(precedence_roster(), start, end)
    assert segments[0].starts_at == start and segments[-1].ends_at == end
    for a, b in zip(segments, segments[1:], strict=False):
        assert a.ends_at == b.starts_at and a.cover != b.cover
    for segment in segments:
        assert r.cover_at(precedence_roster(), segment.starts_at) == segment.cover


@pytest.mark.parametrize(
    ("at", "until"),
    [
        ("2025-11-24 14:00", "2025-11-24 17:00"),  # DAY until the night slot
        ("2025-11-24 09:30", "2025-11-24 12:00"),  # EXTRA's shift, then DAY again
        ("2025-11-25 12:30", "2025-11-25 13:00"),  # the fallback, until the pattern resumes
    ],
)
def test_until_is_when_the_member_on_call_stops_being_on_call(at, until):
    segments = r.timeline(precedence_roster(), local(at), local(at) + timedelta(days=3))
    assert r.run_end(segments) == local(until)


def test_until_spans_sources_while_the_same_member_stays_on_call():
    data = r.Roster(
        tz=CHICAGO,
        pattern=(r.Slot(0, time(8), time(17), DAY, id=1),),
        manual_member_id=DAY,
        manual_until=local("2025-11-25 09:00"),
    )
    start = local("2025-11-24 10:00")
    assert r.run_end(r.timeline(data, start, start + timedelta(days=3))) == local(
        "2025-11-25 09:00"
    )


def test_until_is_none_when_the_answer_holds_past_the_horizon():
    data = r.Roster(tz=CHICAGO, manual_member_id=MANUAL)
    start = local("2025-11-24 10:00")
    assert r.run_end(r.timeline(data, start, start + timedelta(days=15))) is None


def test_when_closed_the_end_of_the_run_is_when_the_unit_opens_after_a_holiday():
    monday_off = r.HolidayRule(date(2025, 12, 1), "Closure day", None, id=3)
    data = r.Roster(
        tz=CHICAGO, pattern=PATTERN, holidays=(monday_off,), service_hours_only=True, hours=HOURS
    )
    start = local("2025-11-29 10:00")  # Saturday
    segments = r.timeline(data, start, start + timedelta(days=15))
    assert segments[0].cover.source == Source.CLOSED
    assert r.run_end(segments) == local("2025-12-02 08:00")  # Tuesday


def test_a_split_by_day_clips_segments_to_local_days_of_23_and_25_hours():
    start = local("2025-11-01 00:00")
    segments = r.timeline(roster(), start, start + timedelta(days=3))
    days = r.split_by_day(segments, [date(2025, 11, 1), date(2025, 11, 2)], CHICAGO)
    for day, clipped in days:
        first, last = r.day_window(day, CHICAGO)
        assert clipped[0].starts_at == first and clipped[-1].ends_at == last
    assert sum(hours_between(s.starts_at, s.ends_at) for s in days[1][1]) == 25
    assert [s.cover.member_id for s in days[1][1]] == [NIGHT, WEEKEND, NIGHT]


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((0, time(22), time(6)), (1, time(5), time(7)), True),
        ((0, time(22), time(6)), (1, time(6), time(8)), False),
        ((6, time(22), time(6)), (0, time(5), time(7)), True),  # Sunday night into Monday
        ((0, time(8), time(17)), (0, time(17), time(8)), False),
        ((0, time(8), time(8)), (1, time(7), time(9)), True),  # 24 hours
        ((0, time(8), time(8)), (1, time(8), time(9)), False),
        ((2, time(9), time(10)), (3, time(9), time(10)), False),
        ((4, time(9), time(12)), (4, time(11), time(13)), True),
    ],
)
def test_pattern_slots_overlap_on_the_weekly_cycle(a, b, overlap):
    assert r.slots_overlap(a, b) is overlap
    assert r.slots_overlap(b, a) is overlap
