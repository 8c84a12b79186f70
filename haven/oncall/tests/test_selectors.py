"""on_call_now: whom to call at an instant, from the agency's rows, by precedence; with the
phones, the end of the answer, and nobody of another agency ever."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from haven.agencies.models import Agency, ServiceHours
from haven.oncall.models import Coverage, Holiday, OnCallPattern, OnCallSettings, OnCallShift
from haven.oncall.roster import Source
from haven.oncall.selectors import on_call_now, roster_days
from haven.oncall.tests.helpers import other_agency_objects

pytestmark = pytest.mark.django_db

# Monday 24 November 2025 in Chicago (agency A's zone); Thursday 27th is Thanksgiving.
MONDAY = date(2025, 11, 24)
CHICAGO = ZoneInfo("America/Chicago")


def chicago(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHICAGO)


@pytest.fixture
def week(cast):
    """Agency A's roster: weekdays 08-17 Alice (pattern), Bob's shift Monday 09-12, Thanksgiving
    covered by Sam, the unit's phone, and Cora as the fallback."""
    a = cast.agency_a
    for weekday in range(5):
        OnCallPattern.objects.create(
            agency=a, weekday=weekday, starts=time(8), ends=time(17), member=cast.advocate
        )
    OnCallShift.objects.create(
        agency=a,
        member=cast.advocate2,
        starts_at=chicago(MONDAY, 9),
        ends_at=chicago(MONDAY, 12),
    )
    Holiday.objects.create(
        agency=a, date=MONDAY + timedelta(days=3), name="Thanksgiving", member=cast.supervisor
    )
    Agency.objects.filter(pk=a.pk).update(phone="312-555-0100", on_call=cast.coordinator)
    return a


@pytest.mark.parametrize(
    ("at", "source", "who", "until"),
    [
        (chicago(MONDAY, 10), Source.SHIFT, "advocate2", chicago(MONDAY, 12)),
        (chicago(MONDAY, 13), Source.PATTERN, "advocate", chicago(MONDAY, 17)),
        # Thanksgiving's cover hands back to the fallback (Cora) at its local midnight.
        (
            chicago(MONDAY + timedelta(days=3), 10),
            Source.HOLIDAY,
            "supervisor",
            chicago(MONDAY + timedelta(days=4), 0),
        ),
        (chicago(MONDAY, 20), Source.MANUAL, "coordinator", chicago(MONDAY + timedelta(1), 8)),
    ],
)
def test_on_call_now_follows_the_precedence(cast, week, at, source, who, until):
    oncall = on_call_now(cast.agency_a, at=at)
    assert oncall.source == source
    assert oncall.member == getattr(cast, who)
    assert oncall.until == until
    assert oncall.holiday == ("Thanksgiving" if source == Source.HOLIDAY else "")
    assert oncall.unit_phone == "(312) 555-0100" and oncall.unit_tel == "+13125550100"


def test_the_phone_is_shown_and_ready_for_a_tel_link(cast, week):
    oncall = on_call_now(cast.agency_a, at=chicago(MONDAY, 13))
    assert (oncall.phone, oncall.tel) == ("(312) 555-0101", "+13125550101")


def test_with_nobody_on_call_the_unit_phone_is_the_answer(cast):
    Agency.objects.filter(pk=cast.agency_a.pk).update(phone="312-555-0100")
    oncall = on_call_now(cast.agency_a)
    assert oncall.source == Source.NOBODY and oncall.member is None
    assert oncall.unit_phone == "(312) 555-0100" and oncall.until is None


def test_the_fallback_lapses_at_its_end_but_not_when_the_older_page_replaced_it(cast):
    a = cast.agency_a
    at = datetime(2025, 11, 24, 18, tzinfo=UTC)
    Agency.objects.filter(pk=a.pk).update(on_call=cast.advocate)
    OnCallSettings.objects.create(
        agency=a, override_for=cast.advocate, override_until=at + timedelta(hours=1)
    )
    assert on_call_now(a, at=at).member == cast.advocate
    assert on_call_now(a, at=at).until == at + timedelta(hours=1)
    assert on_call_now(a, at=at + timedelta(hours=2)).source == Source.NOBODY
    # /agency/on-call/ sets Agency.on_call alone: Bob has no end.
    Agency.objects.filter(pk=a.pk).update(on_call=cast.advocate2)
    later = on_call_now(a, at=at + timedelta(hours=2))
    assert (later.source, later.member, later.until) == (Source.MANUAL, cast.advocate2, None)


def test_the_fallback_is_read_fresh_not_from_the_agency_object_passed(cast):
    stale = Agency.objects.get(pk=cast.agency_a.pk)
    Agency.objects.filter(pk=cast.agency_a.pk).update(on_call=cast.advocate)
    assert on_call_now(stale).member == cast.advocate


def test_a_member_who_can_no_longer_take_cases_is_never_the_answer(cast, week):
    cast.advocate2.is_active = False
    cast.advocate2.save(update_fields=["is_active"])
    oncall = on_call_now(cast.agency_a, at=chicago(MONDAY, 10))
    assert (oncall.source, oncall.member) == (Source.PATTERN, cast.advocate)
    Agency.objects.filter(pk=cast.agency_a.pk).update(on_call=cast.officer)
    assert on_call_now(cast.agency_a, at=chicago(MONDAY, 20)).source == Source.NOBODY


def test_in_service_hours_mode_a_closed_unit_says_when_it_opens_and_the_hotline(cast, week):
    a = cast.agency_a
    OnCallSettings.objects.create(agency=a, coverage=Coverage.SERVICE_HOURS, hotline="+13125550199")
    for weekday in range(5):
        ServiceHours.objects.create(agency=a, weekday=weekday, opens=time(8), closes=time(17))
    friday_night = chicago(MONDAY + timedelta(days=4), 20)
    oncall = on_call_now(a, at=friday_night)
    assert oncall.closed and oncall.member is None
    assert oncall.opens_at == chicago(MONDAY + timedelta(days=7), 8)
    assert (oncall.hotline, oncall.hotline_tel) == ("(312) 555-0199", "+13125550199")
    # Open hours follow the roster as in 24/7 mode.
    assert on_call_now(a, at=chicago(MONDAY, 13)).member == cast.advocate


def test_another_agencys_roster_never_answers(cast):
    other_agency_objects(cast)  # Charlie is on call for B tomorrow, weekly and on a holiday
    for days in range(0, 8):
        at = datetime.now(UTC) + timedelta(days=days, hours=1)
        oncall = on_call_now(cast.agency_a, at=at)
        assert oncall.source == Source.NOBODY and oncall.member is None


def test_the_roster_days_show_gaps_and_split_at_each_change(cast, week):
    Agency.objects.filter(pk=cast.agency_a.pk).update(on_call=None)
    days = roster_days(cast.actor("supervisor"), MONDAY, 7)
    monday = days[0]
    assert [(e.source, e.member and e.member.pk) for e in monday.entries] == [
        (Source.NOBODY, None),
        (Source.PATTERN, cast.advocate.pk),
        (Source.SHIFT, cast.advocate2.pk),
        (Source.PATTERN, cast.advocate.pk),
        (Source.NOBODY, None),
    ]
    assert monday.has_gap and monday.entries[0].from_midnight and monday.entries[-1].to_midnight
    thursday = days[3]
    assert thursday.holiday == "Thanksgiving" and not thursday.has_gap
    assert [e.member for e in thursday.entries] == [cast.supervisor]


def test_on_call_now_takes_a_fixed_number_of_queries(cast, week, django_assert_num_queries):
    # Settings, the agency's row, shifts, pattern, holidays, the fallback's check, the member.
    with django_assert_num_queries(7):
        oncall = on_call_now(cast.agency_a, at=chicago(MONDAY, 13))
        assert oncall.member.user.get_full_name() == "Alice Avery"
