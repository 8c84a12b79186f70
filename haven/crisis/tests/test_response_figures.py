"""The dashboard's crisis panel: response times (request to arrival) by district and by the
hour of day the request came in, computed here by hand from the times the test chooses."""

import statistics
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from haven.agencies.models import District
from haven.crisis.models import CallOut
from haven.reports.figures import Filters, crisis_panel

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")

# (district, requested on Nov 30 at this local hour and minute, minutes to arrival or None)
CALLOUTS = [
    ("Harrison", (2, 10), 30),
    ("Harrison", (2, 50), 50),
    ("Harrison", (14, 0), 20),
    ("Austin", (2, 30), 90),
    ("Austin", (14, 45), 40),
    ("Austin", (14, 5), None),  # nobody arrived: counted as requested, not in the times
    (None, (23, 15), 15),
]


def make(agency, district, hour_minute, minutes):
    asked = datetime(2026, 11, 30, *hour_minute, tzinfo=CHICAGO)
    return CallOut.objects.create(
        agency=agency,
        requested_by="officer",
        requested_at=asked,
        arrived_at=asked + timedelta(minutes=minutes) if minutes is not None else None,
        place="scene",
        district=district,
    )


@pytest.fixture
def callouts(cast):
    districts = {
        "Harrison": cast.district_a,
        "Austin": District.objects.create(agency=cast.agency_a, code="015", name="Austin"),
        None: None,
    }
    for name, at, minutes in CALLOUTS:
        make(cast.agency_a, districts[name], at, minutes)
    # Outside the period, and another agency's: in no figure.
    CallOut.objects.create(
        agency=cast.agency_a,
        requested_by="officer",
        requested_at=datetime(2026, 10, 31, 23, 50, tzinfo=CHICAGO),  # the day before
        arrived_at=datetime(2026, 11, 1, 1, 0, tzinfo=CHICAGO),
        place="scene",
        district=cast.district_a,
    )
    make(cast.agency_b, None, (2, 0), 5)
    return districts


def expected_by(key) -> dict:
    groups: dict = {}
    for name, (hour, _minute), minutes in CALLOUTS:
        if minutes is not None:
            groups.setdefault(key(name, hour), []).append(minutes)
    return {k: (len(v), statistics.median(v)) for k, v in groups.items()}


def test_response_times_by_district_and_hour_of_day(cast, callouts):
    panel = crisis_panel(
        cast.agency_a, Filters(date(2026, 11, 1), date(2026, 11, 30)), suppress=False
    )

    by_district = {r.label: (r.callouts.value, r.median_minutes.value) for r in panel.by_district}
    assert by_district == expected_by(lambda name, hour: name or "No district")
    by_hour = {r.label: (r.callouts.value, r.median_minutes.value) for r in panel.by_hour}
    assert by_hour == expected_by(lambda name, hour: f"{hour:02d}:00")
    arrived = [m for *_, m in CALLOUTS if m is not None]
    assert panel.arrived.value == len(arrived) and panel.callouts.value == len(CALLOUTS)
    assert panel.median_minutes.value == statistics.median(arrived)


def test_the_district_filter_and_the_analysts_small_counts(cast, callouts):
    period = Filters(date(2026, 11, 1), date(2026, 11, 30), district_id=cast.district_a.pk)
    panel = crisis_panel(cast.agency_a, period, suppress=True)
    assert [r.label for r in panel.by_district] == ["Harrison"]
    assert panel.arrived.suppressed and panel.median_minutes.value is None


def test_the_dashboard_shows_the_panel(client_as, callouts):
    page = client_as("supervisor").get(
        reverse("reports:dashboard"), {"start": "2026-11-01", "end": "2026-11-30"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="response-by-district"' in html and "Austin" in html and "02:00" in html
