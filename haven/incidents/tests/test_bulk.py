"""The import's bulk inserts (incidents/bulk.py): an executemany on SQLite, a COPY on
PostgreSQL; the same rows either way, and a database's refusal raised as Django's own."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from haven.core.scoping import agency_scope
from haven.incidents import bulk
from haven.incidents.models import Incident
from haven.incidents.report_writes import INCIDENT_COLUMNS as COLUMNS


def row(agency_id, number, *, occurred=None, location="063XX S HALSTED ST"):
    now = timezone.now()
    values = {
        "agency": agency_id,
        "report_number": number,
        "reported_at": datetime(2025, 3, 15, 4, 52, tzinfo=UTC),
        "occurred_at": occurred,
        "district": None,
        "district_code": "011",
        "beat": "1123",
        "location": location,
        "exported_status": "",
        "exported_detective": "",
        "investigation_status": "",
        "detective": "",
        "investigation_changed_at": None,
        "domestic_violence": True,
        "weapon": False,
        "firearm": False,
        "source_profile": "chicago",
        "source_hash": "d" * 64,
        "last_run": None,
        "imported_at": now,
        "updated_at": now,
    }
    return tuple(values[column] for column in COLUMNS)


def test_rows_go_in_as_given(cast):
    a = cast.agency_a.pk
    bulk.insert(
        Incident,
        COLUMNS,
        [row(a, "JJ1"), row(a, "JJ2", occurred=datetime(2025, 3, 14, tzinfo=UTC), location="")],
    )
    with agency_scope(cast.agency_a):
        first, second = Incident.objects.order_by("report_number")
    assert first.reported_at == datetime(2025, 3, 15, 4, 52, tzinfo=UTC)
    assert first.occurred_at is None and first.domestic_violence and not first.weapon
    assert first.location == "063XX S HALSTED ST"
    assert second.occurred_at == datetime(2025, 3, 14, tzinfo=UTC) and second.location == ""


def test_a_report_number_already_there_is_refused_as_an_integrity_error(cast):
    a = cast.agency_a.pk
    bulk.insert(Incident, COLUMNS, [row(a, "JJ1")])
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert(Incident, COLUMNS, [row(a, "JJ2"), row(a, "JJ1")])
    with agency_scope(cast.agency_a):
        assert Incident.objects.count() == 1
