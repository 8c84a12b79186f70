"""Reports read from a real streaming replica; nothing else does, and nothing is written there.

The test starts its own PostgreSQL primary and a streaming replica of it (tests/replica.py:
initdb, pg_basebackup) on free ports, migrates and loads a small demo agency on the primary in a
second process, and in a third, configured with HAVEN_DATABASE_URL and
HAVEN_REPLICA_DATABASE_URL, opens the dashboard, a PMT download and a case page while counting
each database's statements. Marked `replica`: it runs once per CI run, on the PostgreSQL pass,
where the server programs are installed. The router's rules without a replica: below, on any
database.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from haven.core.replica import PRIMARY, REPLICA, ReplicaRouter, replica_reads
from tests.replica import postgres_bin, replica_pair, wait_for_replay

ROOT = Path(__file__).resolve().parents[3]
ON_POSTGRES = os.environ.get("HAVEN_DATABASE_URL", "").startswith(("postgres:", "postgresql:"))

PROBE = r"""
import json
import django
django.setup()
from django.db import connections
from django.test import Client
from django.contrib.auth import get_user_model
from haven.cases.models import Case
from haven.core.scoping import all_agencies

seen = {"default": [], "replica": []}

def counter(alias):
    def wrapper(execute, sql, params, many, context):
        seen[alias].append(sql.split(None, 1)[0].upper())
        return execute(sql, params, many, context)
    return wrapper

out = {
    "pooled": all(connections[a].pool is not None for a in ("default", "replica")),
    "replica_in_recovery": connections["replica"].cursor().execute(
        "SELECT pg_is_in_recovery()").fetchone()[0],
}
client = Client()
client.force_login(get_user_model().objects.get(username="supervisor"))
with all_agencies():
    case = Case.objects.order_by("pk").first()
for name, url in [
    ("dashboard", "/reports/"),
    ("pmt", "/reports/pmt/?quarter=2026Q3&format=csv"),
    ("case", f"/cases/{case.pk}/"),
]:
    seen = {"default": [], "replica": []}
    with connections["default"].execute_wrapper(counter("default")), \
            connections["replica"].execute_wrapper(counter("replica")):
        response = client.get(url)
    out[name] = {"status": response.status_code, **seen}
print("PROBE " + json.dumps(out))
"""


def _env(pair, var_dir: Path) -> dict:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "haven.settings_test",
        "HAVEN_VAR_DIR": str(var_dir),
        "HAVEN_DATABASE_URL": pair.primary_url("haven"),
        "HAVEN_REPLICA_DATABASE_URL": pair.replica_url("haven"),
        "HAVEN_DATABASE_POOL": "on",
        "HAVEN_ALLOWED_HOSTS": "testserver",  # Django's test client
    }


@pytest.mark.replica
@pytest.mark.skipif(
    not ON_POSTGRES or postgres_bin() is None,
    reason="runs once, on the PostgreSQL pass, with PostgreSQL's server programs installed",
)
def test_reports_read_from_the_streaming_replica_and_write_to_the_primary(tmp_path):
    import psycopg

    # The servers run as `postgres` when the test runs as root: their folder is a new one in
    # the temporary directory, which that user can reach (pytest's tmp_path is root's alone).
    with replica_pair() as pair:
        with psycopg.connect(pair.primary_url("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE haven")
        env = _env(pair, tmp_path / "var")
        manage = [sys.executable, str(ROOT / "manage.py")]
        for args in (["migrate", "-v0"], ["demo", "--cases", "20"]):
            subprocess.run(manage + args, env=env, cwd=ROOT, check=True, capture_output=True)
        wait_for_replay(pair)
        done = subprocess.run(
            [sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("PROBE "))
    probe = json.loads(line.removeprefix("PROBE "))

    assert probe["pooled"] and probe["replica_in_recovery"]
    for page in ("dashboard", "pmt"):
        # The figures come from the replica; the access event is written to the primary,
        # and the session and the chain head are read there.
        assert probe[page]["status"] == 200, page
        assert probe[page]["replica"].count("SELECT") >= 3, probe[page]
        assert set(probe[page]["replica"]) == {"SELECT"}, probe[page]
        assert "INSERT" in probe[page]["default"], probe[page]
    # A case page is read from the primary alone: a specialist sees what was just written.
    assert probe["case"]["status"] == 200
    assert probe["case"]["replica"] == []


class _Model:
    class _meta:
        app_label = "cases"


class _AuditModel:
    class _meta:
        app_label = "audit"


def test_without_a_replica_everything_reads_and_writes_the_primary():
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(_Model) == PRIMARY
    assert router.db_for_write(_Model) == PRIMARY


def test_inside_the_block_reads_go_to_the_replica_but_never_the_access_log(monkeypatch):
    from haven.core import replica

    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    router = ReplicaRouter()
    assert router.db_for_read(_Model) == PRIMARY  # outside the block
    with replica_reads():
        assert router.db_for_read(_Model) == REPLICA
        assert router.db_for_read(_AuditModel) == PRIMARY
        assert router.db_for_write(_Model) == PRIMARY
    assert router.db_for_read(_Model) == PRIMARY
    assert router.allow_migrate(REPLICA, "cases") is False
    assert router.allow_migrate(PRIMARY, "cases") is True
