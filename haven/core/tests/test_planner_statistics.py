"""The planner's statistics: gathered by the demo, every night by the worker, and on demand."""

from datetime import datetime

import pytest
from django.core.management import call_command
from django.db import connection

from haven.core.planner_statistics import refresh_planner_statistics


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return " ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner has no statistics")
def test_with_statistics_sqlite_narrows_by_the_case_not_the_agency():
    # One agency, many cases: the shape of every list page's prefetch.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE planner_probe (id INTEGER PRIMARY KEY, agency_id, case_id)")
        cursor.execute("CREATE INDEX planner_probe_agency ON planner_probe (agency_id)")
        cursor.execute("CREATE INDEX planner_probe_case ON planner_probe (case_id)")
        cursor.executemany(
            "INSERT INTO planner_probe (agency_id, case_id) VALUES (1, %s)",
            [(n // 3,) for n in range(3000)],
        )
    query = "SELECT id FROM planner_probe WHERE agency_id = 1 AND case_id IN (5, 70, 900)"
    assert "planner_probe_agency" in _plan(query)  # the guess: every row of the agency

    refresh_planner_statistics()

    assert "planner_probe_case" in _plan(query)


@pytest.mark.django_db
def test_the_command_refreshes_them(capsys):
    call_command("refresh_statistics")
    assert "refreshed" in capsys.readouterr().out


def test_the_worker_refreshes_them_every_night():
    from haven.ops.tasks import planner_statistics_nightly

    task = planner_statistics_nightly.task_class()
    assert task.validate_datetime(datetime(2026, 12, 5, 2, 30))
    assert not task.validate_datetime(datetime(2026, 12, 5, 14, 30))
