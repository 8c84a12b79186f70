"""Archiving a month of the access log (manage.py audit_archive_month, haven.audit.archive):
the chains are verified from their archive cuts afterwards, months go oldest first, a gap no
cut explains is still found, a cut forged inside the database fails the anchors, and the dump
restores the month.

Run them with HAVEN_DATABASE_URL=postgres://...: the months are PostgreSQL partitions, and
pg_dump must see what the test wrote, so these tests commit (transaction=True) and drop the
months they made.
"""

import hashlib
import json
import os
import shutil
import subprocess
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from haven.audit.models import AuditAction, AuditArchiveCut, AuditEvent
from haven.audit.partitions import ensure_months, partitions
from haven.audit.selectors import Anchor, check_anchors, cut_anchor, verify_chain
from haven.audit.services import audit_record

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="months are archived on PostgreSQL only; SQLite keeps the log in one table",
)
MONTHS = ("2020_01", "2020_02", "2020_03")


@pytest.fixture
def three_months(transactional_db):
    """Chain 9001 with entries 1-3 in January 2020, 4-6 in February and 7-9 in March; chain
    9002 with entries 1-2 in January and 3 in February. The months are dropped afterwards."""
    ensure_months(ahead=2, today=date(2020, 1, 1))
    for month in (1, 2, 3):
        for day in (3, 4, 5):
            record(datetime(2020, month, day, 12, tzinfo=UTC), "9001")
    record(datetime(2020, 1, 6, tzinfo=UTC), "9002")
    record(datetime(2020, 1, 7, tzinfo=UTC), "9002")
    record(datetime(2020, 2, 6, tzinfo=UTC), "9002")
    yield
    for month in MONTHS:
        drop(f"audit_auditevent_{month}")


def record(when: datetime, chain: str) -> AuditEvent:
    with time_machine.travel(when, tick=False), transaction.atomic():
        return audit_record(
            actor=None, action=AuditAction.NOTE_ADD, agency_id=int(chain), actor_label="test"
        )


def drop(partition: str) -> None:
    """Take a month away by hand, as someone bypassing the archiving would."""
    if partition in partitions():
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE audit_auditevent DETACH PARTITION {partition}")
            cursor.execute(f"DROP TABLE {partition}")


def archive(month: str, out: Path, anchors: Path, *, on: datetime) -> str:
    output = StringIO()
    with time_machine.travel(on, tick=False):
        call_command(
            "audit_archive_month",
            month,
            "--out",
            str(out),
            "--anchors",
            str(anchors),
            stdout=output,
        )
    return output.getvalue()


def verify(*args) -> None:
    call_command("audit_verify", *args, stdout=StringIO())


APRIL = datetime(2020, 4, 15, tzinfo=UTC)


@on_postgresql
def test_archiving_the_oldest_month_keeps_the_log_verifiable(three_months, tmp_path):
    anchors = tmp_path / "anchors.jsonl"
    output = archive("2020-01", tmp_path / "dump", anchors, on=APRIL)

    assert "audit_auditevent_2020_01" not in partitions()
    assert "Archived audit_auditevent_2020_01: 5 events" in output
    cuts = {c.chain: (c.seq, c.month) for c in AuditArchiveCut.objects.all()}
    assert cuts == {"9001": (3, date(2020, 1, 1)), "9002": (2, date(2020, 1, 1))}
    lines = [json.loads(line) for line in anchors.read_text().splitlines()]
    assert {(line["chain"], line["seq"], line["cut"]) for line in lines} == {
        ("9001", 3, "2020-01"),
        ("9002", 2, "2020-01"),
    }
    dump = tmp_path / "dump" / "audit_auditevent_2020_01.pgdump"
    manifest = json.loads(
        (tmp_path / "dump" / "audit_auditevent_2020_01.manifest.json").read_text()
    )
    assert manifest["sha256"] == hashlib.sha256(dump.read_bytes()).hexdigest()
    assert manifest["rows"] == 5
    assert len(manifest["cuts"]) == 2
    assert verify_chain("9001") == (6, None)
    assert verify_chain("9002") == (1, None)
    verify("--anchors", str(anchors))
    for sql in ("UPDATE audit_auditarchivecut SET seq = 1", "DELETE FROM audit_auditarchivecut"):
        with (
            pytest.raises(DatabaseError, match="Archive cuts are append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)


@on_postgresql
def test_it_refuses_the_current_month_and_months_out_of_order(three_months, tmp_path):
    anchors = tmp_path / "anchors.jsonl"
    with pytest.raises(CommandError, match="2020-03 is not over yet"):
        archive("2020-03", tmp_path / "dump", anchors, on=datetime(2020, 3, 20, tzinfo=UTC))
    with pytest.raises(CommandError, match="2020-01 is older than 2020-02 and still kept"):
        archive("2020-02", tmp_path / "dump", anchors, on=APRIL)
    with pytest.raises(CommandError, match="not a month"):
        archive("January", tmp_path / "dump", anchors, on=APRIL)

    # The anchor file cannot be written (a directory): the cuts and the drop roll back.
    with pytest.raises(CommandError, match="Cannot write the manifest or the anchor file"):
        archive("2020-01", tmp_path / "dump", tmp_path, on=APRIL)

    assert all(f"audit_auditevent_{month}" in partitions() for month in MONTHS)
    assert not AuditArchiveCut.objects.exists()
    assert not anchors.exists()
    assert not list((tmp_path / "dump").glob("*"))
    assert verify_chain("9001") == (9, None)


@on_postgresql
def test_a_month_dropped_without_a_cut_still_breaks_the_chain(three_months, tmp_path):
    archive("2020-01", tmp_path / "dump", tmp_path / "anchors.jsonl", on=APRIL)
    drop("audit_auditevent_2020_02")

    assert str(verify_chain("9001")[1]) == "chain 9001, entry 4 (a missing event): entry missing"
    # Chain 9002 has no event left after its cut, and its head is beyond it.
    assert verify_chain("9002")[1].problem == "entries missing at the end"
    with pytest.raises(CommandError, match="entry 4 .* entry missing"):
        verify()


@on_postgresql
def test_a_cut_forged_in_the_database_fails_the_anchors(three_months, tmp_path):
    anchors = tmp_path / "anchors.jsonl"
    archive("2020-01", tmp_path / "dump", anchors, on=APRIL)
    last_of_february = AuditEvent.objects.get(chain="9001", seq=6)
    drop("audit_auditevent_2020_02")
    AuditArchiveCut.objects.create(
        chain="9001", seq=6, hash=last_of_february.hash, month=date(2020, 2, 1), at=APRIL
    )

    assert verify_chain("9001") == (3, None)  # the walk alone is fooled
    with pytest.raises(
        CommandError, match=r"chain 9001: the archive cut after entry 6 \(2020-02\)"
    ):
        verify("--chain", "9001", "--anchors", str(anchors))


@on_postgresql
def test_the_dump_restores_the_month_and_the_whole_chain_verifies(three_months, tmp_path):
    archive("2020-01", tmp_path / "dump", tmp_path / "anchors.jsonl", on=APRIL)
    dump = tmp_path / "dump" / "audit_auditevent_2020_01.pgdump"

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE audit_auditevent_2020_01 PARTITION OF audit_auditevent "
            "FOR VALUES FROM ('2020-01-01 00:00+00') TO ('2020-02-01 00:00+00')"
        )
        cursor.execute(
            "CREATE UNIQUE INDEX audit_auditevent_2020_01_chain_seq "
            "ON audit_auditevent_2020_01 (chain, seq)"
        )
    db = connection.settings_dict
    env = dict(os.environ, PGPASSWORD=db.get("PASSWORD") or "")
    subprocess.run(  # noqa: S603
        [
            shutil.which("pg_restore"),
            "--data-only",
            "--table=audit_auditevent_2020_01",
            f"--dbname={db['NAME']}",
            f"--host={db.get('HOST') or 'localhost'}",
            f"--port={db.get('PORT') or 5432}",
            f"--username={db.get('USER')}",
            str(dump),
        ],
        env=env,
        check=True,
        capture_output=True,
    )

    assert AuditEvent.objects.filter(chain="9001").count() == 9
    assert verify_chain("9001") == (9, None)  # from entry 1 again, through the cut
    assert verify_chain("9002") == (3, None)
    verify("--anchors", str(tmp_path / "anchors.jsonl"))
    with pytest.raises(CommandError, match="2020-01 was archived before and restored"):
        archive("2020-01", tmp_path / "again", tmp_path / "anchors.jsonl", on=APRIL)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite refusal")
@pytest.mark.django_db
def test_it_refuses_on_sqlite(tmp_path):
    with pytest.raises(CommandError, match=r"one table here \(SQLite\)"):
        archive("2020-01", tmp_path / "dump", tmp_path / "anchors.jsonl", on=APRIL)
    assert not (tmp_path / "dump").exists()


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="deletes events by hand, which the trigger refuses"
)
@pytest.mark.django_db
def test_the_walk_starts_from_a_cut_and_the_anchors_must_hold_it():
    events = [record(datetime(2020, 1, day, tzinfo=UTC), "9001") for day in (3, 4, 5, 6)]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE chain = '9001' AND seq <= 2")
    assert verify_chain("9001")[1].problem == "entry missing"

    cut = AuditArchiveCut.objects.create(
        chain="9001", seq=2, hash=events[1].hash, month=date(2020, 1, 1), at=APRIL
    )
    assert verify_chain("9001") == (2, None)
    head_before = Anchor(chain="9001", seq=1, hash=events[0].hash)
    assert check_anchors([head_before]) == [
        "chain 9001: the archive cut after entry 2 (2020-01) is not in the anchor file",
        "chain 9001: anchored entry 1 is missing from the log",
    ]
    assert check_anchors([head_before, cut_anchor(cut)]) == []
    with pytest.raises(PermissionError):
        AuditArchiveCut.objects.filter(pk=cut.pk).update(seq=3)
