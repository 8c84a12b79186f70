"""A program manager records a quarter (FY2027 Q1: Oct 1 – Dec 31, 2026) of trainings,
events, meetings and volunteer hours; the counts are then computed again here, from the
list the test recorded, and must agree with the selector (and the page)."""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from haven.lib.quarters import Quarter
from haven.program import selectors, services
from haven.program.models import ActivityKind, Audience
from haven.program.services import ActivityInput

QUARTER = Quarter(2027, 1)


@pytest.fixture
def recorded(cast, sam, charlie, volunteer):
    rng = random.Random(19)
    activities, hours = [], []
    leaders = [cast.advocate, cast.advocate2, cast.supervisor]
    # Outside the quarter: one the day before it starts, and one of another agency.
    services.activity_record(
        actor=sam,
        data=ActivityInput(
            kind=ActivityKind.TRAINING,
            topic="September roll call",
            held_on=date(2026, 9, 30),
            hours=Decimal(1),
            led_by=cast.supervisor,
            audience=Audience.OFFICERS,
            attendees=40,
        ),
    )
    services.activity_record(
        actor=charlie,
        data=ActivityInput(
            kind=ActivityKind.OUTREACH,
            topic="Lakeside fair",
            held_on=date(2026, 11, 1),
            hours=Decimal(5),
            led_by=cast.other_advocate,
            attendees=300,
        ),
    )
    for n in range(24):
        kind = rng.choice(ActivityKind.values[:3])
        data = ActivityInput(
            kind=kind,
            topic=f"Activity {n}",
            held_on=date(2026, 10, 1) + timedelta(days=rng.randint(0, 62)),
            hours=Decimal(rng.choice(["0.5", "1", "1.5", "2", "3"])),
            time_spent=Decimal(rng.choice(["3", "4", "6"])),
            led_by=rng.choice(leaders),
            audience=rng.choice(Audience.values) if kind == ActivityKind.TRAINING else "",
            attendees=rng.randint(5, 60),
        )
        services.activity_record(actor=sam, data=data)
        activities.append(data)
    for n in range(15):
        row = {
            "worked_on": date(2026, 10, 1) + timedelta(days=rng.randint(0, 62)),
            "hours": Decimal(rng.choice(["1", "2.5", "4"])),
            "case": cast.case_a if n % 3 == 0 else None,
        }
        services.volunteer_hours_record(actor=sam, member=volunteer, **row)
        hours.append(row)
    services.volunteer_hours_record(
        actor=sam, member=volunteer, worked_on=date(2026, 9, 30), hours=Decimal(8)
    )
    return activities, hours


def test_the_quarters_counts_match_an_independent_count(cast, sam, recorded):
    activities, hours = recorded
    counts = selectors.program_counts(sam, QUARTER.start, QUARTER.end)

    expected = defaultdict(lambda: [0, Decimal(0), Decimal(0), 0])
    for a in activities:
        row = expected[a.kind]
        row[0] += 1
        row[1] += a.hours
        row[2] += a.time_spent
        row[3] += a.attendees
    for kind in ActivityKind.values:
        found = counts.kind(kind)
        assert [found.count, found.hours, found.time_spent, found.attendees] == (expected[kind]), (
            kind
        )
    assert counts.activities == 24

    by_audience = defaultdict(int)
    for a in activities:
        if a.kind == ActivityKind.TRAINING:
            by_audience[a.audience] += a.attendees
    assert {k.kind: k.attendees for k in counts.trainings_by_audience} == {
        value: by_audience.get(value, 0) for value in Audience.values
    }

    assert counts.volunteer_hours_on_cases == sum(h["hours"] for h in hours if h["case"])
    assert counts.volunteer_hours_off_cases == sum(h["hours"] for h in hours if not h["case"])
    assert counts.volunteers == 1


def test_the_quarter_page_shows_the_same_totals(cast, client_as, recorded):
    activities, hours = recorded
    page = client_as("supervisor").get("/program/quarter/?q=2027Q1")
    assert page.status_code == 200
    counts = page.context["counts"]
    assert counts.activities == len(activities)
    assert counts.volunteer_hours == sum(h["hours"] for h in hours)
    assert f"<dd>{counts.volunteer_hours}</dd>" in page.content.decode()


def test_a_quarter_that_is_not_one_is_refused_with_what_to_write(cast, client_as):
    page = client_as("supervisor").get("/program/quarter/?q=last+spring")
    assert page.status_code == 400
    assert "e.g. 2026Q3" in page.content.decode()
