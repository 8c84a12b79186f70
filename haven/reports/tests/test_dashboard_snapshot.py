"""The dashboard, split into one function per panel, gives exactly what the single 207-line
function gave on the demo data: dashboard_snapshot.json was written by that function (commit
b984d72) on the demo below, with the clock frozen.

When the demo's data changes on purpose, regenerate the snapshot from the current code with
HAVEN_UPDATE_SNAPSHOT=1 and check the difference by hand before committing it."""

import dataclasses
import io
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from haven.agencies.models import Agency, District, Membership
from haven.core.actor import Actor
from haven.core.scoping import agency_scope
from haven.reports.selectors import Filters, dashboard

SNAPSHOT = Path(__file__).with_name("dashboard_snapshot.json")
NOW = datetime(2026, 12, 4, 21, 45, tzinfo=UTC)  # a Friday afternoon in Riverside


def views(agency: Agency) -> dict[str, dict]:
    """The dashboard as the supervisor and the analyst (small counts hidden) see it, for the
    last twelve months and for one district, specialist and victimization type."""
    today = NOW.astimezone(agency.tz).date()
    default = Filters.default(today)
    district = District.objects.filter(agency=agency).order_by("code").first()
    advocate = Membership.objects.get(agency=agency, user__username="advocate")
    narrowed = dataclasses.replace(
        default,
        district_id=district.pk,
        specialist_id=advocate.pk,
        victimization="domestic_violence",
    )
    by_district = dataclasses.replace(default, district_id=district.pk)
    found = {}
    for username in ("supervisor", "analyst"):
        actor = Actor.for_membership(Membership.objects.get(agency=agency, user__username=username))
        for name, filters in (("year", default), ("narrowed", narrowed), ("district", by_district)):
            dash = dataclasses.asdict(dashboard(actor, filters, now=NOW))
            dash["filters"] = name  # ids differ from one database to the next
            found[f"{username}/{name}"] = dash
    return json.loads(json.dumps(found, default=str))


@pytest.mark.django_db
def test_the_dashboard_gives_what_the_single_function_gave_on_the_demo():
    with time_machine.travel(NOW, tick=False):
        call_command("demo", agencies=1, cases=120, stdout=io.StringIO())
        agency = Agency.objects.get(slug="riverside")
        with agency_scope(agency):
            found = views(agency)
    if os.environ.get("HAVEN_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    expected = json.loads(SNAPSHOT.read_text())
    assert found["supervisor/year"]["received"]["value"] > 0
    for key in expected:
        assert _ties_in_any_order(found[key]) == _ties_in_any_order(expected[key]), key


def _ties_in_any_order(view: dict) -> dict:
    """The caseload panel lists specialists by caseload; the order among equal caseloads is
    the database's (SQLite and PostgreSQL differ), so rows are compared as a set."""
    return view | {"caseload": sorted(view["caseload"], key=json.dumps)}
