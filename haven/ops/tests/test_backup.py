"""`manage.py backup` and `manage.py restore`: the round trip on the database the suite runs on
(SQLite, or PostgreSQL with HAVEN_DATABASE_URL), the restore run as an operator runs it (a new
process pointed at an empty database), and every refusal."""

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from haven.audit.models import AuditAction, AuditEvent
from haven.cases.models import Case, Note
from haven.lib.crypto import decrypt
from haven.ops.backup import BackupError, backup_read, backup_restore

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
TABLES = ["cases_case", "cases_note", "people_person", "audit_auditevent", "auth_user"]


def run_restore(
    folder: Path, database_url: str, *extra: str, media: Path | None = None
) -> subprocess.CompletedProcess:
    env = dict(os.environ, HAVEN_DATABASE_URL=database_url)
    if media is not None:
        env["HAVEN_MEDIA_ROOT"] = str(media)
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def counts(cursor) -> dict[str, int]:
    found = {}
    for table in TABLES:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (fixed names)
        found[table] = cursor.fetchone()[0]
    return found


def audit_hashes(cursor) -> list[tuple[str, int, str]]:
    cursor.execute("SELECT chain, seq, hash FROM audit_auditevent ORDER BY chain, seq")
    return [tuple(row) for row in cursor.fetchall()]


def note_ciphertext(cursor, note_id: int) -> str:
    cursor.execute(f"SELECT body FROM cases_note WHERE id = {int(note_id)}")  # noqa: S608
    return cursor.fetchone()[0]


@pytest.fixture
def backup(cast, tmp_path):
    call_command("backup", "--out", str(tmp_path / "backup"), stdout=io.StringIO())
    return tmp_path / "backup"


def source_state():
    with connection.cursor() as cursor:
        return counts(cursor), audit_hashes(cursor)


# What a backup is.


def test_a_backup_is_the_database_and_a_manifest_and_is_audited(cast, tmp_path, capsys):
    before = AuditEvent.objects.count()

    call_command("backup", "--out", str(tmp_path / "b"))

    out = capsys.readouterr().out
    kind = connection.vendor
    name = {"sqlite": "haven.sqlite3", "postgresql": "haven.pgdump"}[kind]
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == sorted([name, "manifest.json"])
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["database"] == kind
    assert manifest["haven_version"] == "0.1.0"
    assert "ops.0001_initial" in manifest["migrations"]
    assert "cases.0001_initial" in manifest["migrations"]
    assert manifest["files"][name]["bytes"] == (tmp_path / "b" / name).stat().st_size
    assert len(manifest["files"][name]["sha256"]) == 64
    # No key is in it, only fingerprints that name them.
    text = (tmp_path / "b" / "manifest.json").read_text()
    for key in [*settings.FIELD_ENCRYPTION_KEYS, settings.BLIND_INDEX_KEY, settings.SECRET_KEY]:
        assert key not in text
    assert len(manifest["field_keys"]) == len(settings.FIELD_ENCRYPTION_KEYS)
    # The backup is in the access log, and the copy already holds that entry.
    [event] = AuditEvent.objects.filter(id__gt=0, action=AuditAction.BACKUP)
    assert event.chain == "system" and event.actor_label == "manage.py backup"
    assert AuditEvent.objects.count() == before + 1
    assert manifest["audit_chains"]["system"]["last_hash"] == event.hash
    assert "The field keys are not in the backup" in out


def test_a_backup_never_overwrites_a_folder_in_use(cast, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "something").write_text("x")

    with pytest.raises(CommandError, match="already exists and is not an empty folder"):
        call_command("backup", "--out", str(tmp_path / "taken"))
    assert not AuditEvent.objects.filter(action=AuditAction.BACKUP).exists()


# The round trip, as an operator runs it: a new process, an empty database.


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="SQLite round trip"
)
def test_the_documents_files_go_into_the_backup_as_stored_and_come_back(cast, tmp_path, settings):
    from haven.documents.models import Document
    from haven.documents.services import document_upload
    from haven.documents.tests.helpers import PDF_BYTES, pdf

    settings.MEDIA_ROOT = tmp_path / "media"
    alice = cast.actor("advocate")
    document = document_upload(
        actor=alice, file=pdf(), name="order.pdf", case=cast.case_a, kind="protection_order"
    )
    stored = (tmp_path / "media" / document.blob).read_bytes()
    call_command("backup", "--out", str(tmp_path / "b"), stdout=io.StringIO())

    copied = tmp_path / "b" / document.blob
    assert copied.read_bytes() == stored and PDF_BYTES not in stored  # encrypted, as stored
    manifest = backup_read(tmp_path / "b")
    assert manifest["files"][document.blob]["bytes"] == len(stored)
    assert manifest["documents_missing"] == []

    restored_media = tmp_path / "restored-media"
    result = run_restore(
        tmp_path / "b", f"sqlite:///{tmp_path / 'r.sqlite3'}", media=restored_media
    )
    assert result.returncode == 0, result.stderr
    assert "Document files put back in storage: 1." in result.stdout
    assert (restored_media / document.blob).read_bytes() == stored
    with sqlite3.connect(tmp_path / "r.sqlite3") as restored:
        row = restored.execute(
            "SELECT blob, sha256 FROM documents_document WHERE id = ?", [document.pk]
        ).fetchone()
    assert row == (document.blob, document.sha256)
    assert Document.objects.count() == 1


def test_a_damaged_document_file_in_a_backup_is_refused(cast, tmp_path, settings):
    from haven.documents.services import document_upload
    from haven.documents.tests.helpers import pdf

    settings.MEDIA_ROOT = tmp_path / "media"
    document = document_upload(
        actor=cast.actor("advocate"), file=pdf(), name="a.pdf", case=cast.case_a, kind="letter"
    )
    call_command("backup", "--out", str(tmp_path / "b"), stdout=io.StringIO())
    (tmp_path / "b" / document.blob).write_bytes(b"changed")
    with pytest.raises(BackupError, match="does not match its checksum"):
        backup_read(tmp_path / "b")


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="SQLite round trip"
)
def test_sqlite_round_trip_gives_the_same_data_and_a_verified_audit_log(backup, cast, tmp_path):
    note = Note.objects.get(case=cast.case_a)
    before_counts, before_hashes = source_state()
    target = tmp_path / "restored.sqlite3"

    result = run_restore(backup, f"sqlite:///{target}")

    assert result.returncode == 0, result.stderr
    assert "Access log verified" in result.stdout
    assert "kept apart from backups and are needed to read this one" in result.stdout
    assert "The configured field keys read the restored encrypted fields." in result.stdout
    restored = sqlite3.connect(target)
    cursor = restored.cursor()
    after = counts(cursor)
    # The restore itself is the one new line in the access log.
    assert after == before_counts | {"audit_auditevent": before_counts["audit_auditevent"] + 1}
    hashes = audit_hashes(cursor)
    assert hashes[: len(before_hashes)] == before_hashes or set(before_hashes) <= set(hashes)
    cursor.execute("SELECT action FROM audit_auditevent WHERE chain = 'system' ORDER BY seq")
    assert [row[0] for row in cursor.fetchall()][-2:] == ["ops.backup", "ops.restore"]
    assert decrypt(note_ciphertext(cursor, note.pk)) == note.body
    restored.close()

    # Into the same database again: refused without --replace, done with it.
    again = run_restore(backup, f"sqlite:///{target}")
    assert again.returncode == 1 and "already holds tables" in again.stderr
    replaced = run_restore(backup, f"sqlite:///{target}", "--replace")
    assert replaced.returncode == 0, replaced.stderr
    with sqlite3.connect(target) as restored:
        assert counts(restored.cursor()) == after  # the backup's rows and one restore event


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL round trip")
def test_postgresql_round_trip_into_a_scratch_database_and_again_with_replace(backup, cast):
    import psycopg

    note = Note.objects.get(case=cast.case_a)
    before_counts, before_hashes = source_state()
    params = connection.settings_dict
    scratch = f"{params['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
    url = f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{scratch}"
    try:
        result = run_restore(backup, url)

        assert result.returncode == 0, result.stderr
        assert "Access log verified" in result.stdout
        assert "The configured field keys read the restored encrypted fields." in result.stdout
        with psycopg.connect(url.replace("postgres://", "postgresql://")) as restored:
            cursor = restored.cursor()
            after = counts(cursor)
            assert after == before_counts | {
                "audit_auditevent": before_counts["audit_auditevent"] + 1
            }
            assert set(before_hashes) <= set(audit_hashes(cursor))
            assert decrypt(note_ciphertext(cursor, note.pk)) == note.body
            # The append-only trigger came back with the data.
            cursor.execute("SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal")
            assert cursor.fetchone()[0] >= 1
            # Then the restored database is used: a note is overwritten, a stray table appears.
            cursor.execute("UPDATE cases_note SET body = 'overwritten'")
            cursor.execute("CREATE TABLE stray_table (x int)")
            restored.commit()

        refused = run_restore(backup, url)
        replaced = run_restore(backup, url, "--replace")

        assert refused.returncode != 0 and "--replace" in refused.stderr
        assert replaced.returncode == 0, replaced.stderr
        assert "Access log verified" in replaced.stdout
        with psycopg.connect(url.replace("postgres://", "postgresql://")) as again:
            cursor = again.cursor()
            assert counts(cursor) == after  # the backup's rows and this restore's one event
            assert decrypt(note_ciphertext(cursor, note.pk)) == note.body
            cursor.execute("SELECT to_regclass('public.stray_table')")
            assert cursor.fetchone()[0] is None
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="SQLite file edit"
)
def test_a_restored_audit_log_that_does_not_verify_fails_the_restore(backup, tmp_path):
    # Someone edits an event in the backup and fixes the checksum to match.
    with sqlite3.connect(backup / "haven.sqlite3") as edited:
        edited.execute("UPDATE audit_auditevent SET object_id = 'x' WHERE seq = 1")
    manifest = json.loads((backup / "manifest.json").read_text())
    from haven.ops.backup import _sha256

    manifest["files"]["haven.sqlite3"]["sha256"] = _sha256(backup / "haven.sqlite3")
    (backup / "manifest.json").write_text(json.dumps(manifest))

    result = run_restore(backup, f"sqlite:///{tmp_path / 'restored.sqlite3'}")

    assert result.returncode == 1
    assert "Restored, but the access log does not verify: broken at chain" in result.stderr
    assert "content altered" in result.stderr


# Refusals: nothing is touched.


def test_a_restore_into_a_database_with_data_needs_replace(backup):
    cases = Case.objects.count()

    with pytest.raises(CommandError, match="already holds tables.*--replace"):
        call_command("restore", str(backup))
    assert Case.objects.count() == cases
    assert not AuditEvent.objects.filter(action=AuditAction.RESTORE).exists()


def test_a_backup_of_another_database_kind_is_refused(backup):
    manifest = json.loads((backup / "manifest.json").read_text())
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest["database"] = other
    (backup / "manifest.json").write_text(json.dumps(manifest))
    theirs = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[other]

    with pytest.raises(BackupError, match=f"This is a backup of a {theirs} database"):
        backup_restore(source=backup, replace=True)
    assert Case.objects.exists()


def test_a_backup_from_a_newer_haven_is_refused(backup):
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["migrations"].append("cases.9999_from_the_future")
    manifest["haven_version"] = "9.0.0"
    (backup / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match=r"made by a newer Haven \(9.0.0.*9999_from_the_future"):
        call_command("restore", str(backup), "--replace")
    assert Case.objects.exists()


def test_a_damaged_backup_is_refused(backup):
    [name] = json.loads((backup / "manifest.json").read_text())["files"]
    with (backup / name).open("ab") as handle:
        handle.write(b"\0")

    with pytest.raises(CommandError, match=f"{name} does not match its checksum"):
        call_command("restore", str(backup), "--replace")


def test_a_folder_that_is_not_a_backup_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="holds no manifest.json: it is not a Haven backup"):
        call_command("restore", str(tmp_path))


def test_the_manifest_is_read_back_with_its_checksums(backup):
    manifest = backup_read(backup)
    assert manifest["database"] == connection.vendor
