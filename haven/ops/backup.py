"""Backing up and restoring Haven's database (docs/operations.md, "Backups").

A backup is a folder: the database (SQLite's online backup API, or PostgreSQL's pg_dump in its
custom format), the documents' stored files as they are stored (encrypted, under `documents/`)
and `manifest.json`, which says what made it (Haven's version and applied
migrations), what it is (the database kind), when, the checksum of each file, the head of each
audit chain, and the fingerprints of the field keys in use. Keys are never in a backup: whoever
holds a backup without the keys cannot read the encrypted fields, and whoever restores one
needs the keys it was made with.

The restore refuses a backup of another database kind, one made by a newer Haven (a migration
this code does not know), one whose files do not match their checksums, and a target database
that already holds data unless told to replace it. Afterwards it verifies every audit chain
and compares its head with the manifest.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import TextField
from django.db.models.functions import Cast

from haven.audit.models import AuditAction, AuditChainHead
from haven.audit.selectors import chains, verify_chain
from haven.audit.services import audit_record
from haven.core.scoping import all_agencies
from haven.documents.backup import files_backup, files_restore, is_document_file
from haven.lib.crypto import EncryptedTextField, decrypt

MANIFEST = "manifest.json"
FORMAT = 1
FILES = {"sqlite": "haven.sqlite3", "postgresql": "haven.pgdump"}
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(ValidationError):
    """A backup or restore that cannot go ahead, with what to do instead."""


def haven_version() -> str:
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    return tomllib.loads(pyproject.read_text())["project"]["version"]


def key_fingerprint(key: str) -> str:
    """A short digest that names a key without revealing it."""
    return hashlib.sha256(key.strip().encode()).hexdigest()[:16]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _database_kind() -> str:
    kind = connection.vendor
    if kind not in FILES:
        raise BackupError(f"Haven backs up SQLite and PostgreSQL only, not {kind}.")
    return kind


def _applied_migrations() -> list[str]:
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


def _chain_heads() -> dict[str, dict]:
    return {
        head.chain: {"events": head.seq, "last_hash": head.last_hash}
        for head in AuditChainHead.objects.order_by("chain")
    }


# PostgreSQL: the client programs take the connection from the environment, so the password
# never shows in the process list.


def _pg_env(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    values = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGSSLMODE": (settings_dict.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({name: str(value) for name, value in values.items() if value})
    return env


def _pg_run(program: str, args: list[str]) -> None:
    binary = shutil.which(program)
    if binary is None:
        raise BackupError(
            f"{program} is not installed: install PostgreSQL's client programs "
            "(Debian: `apt-get install postgresql-client`, the same major version as the server "
            "or newer)."
        )
    result = subprocess.run(  # noqa: S603 (fixed program and arguments, no shell)
        [binary, *args],
        env=_pg_env(connection.settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip() or result.returncode}")


@dataclass
class Backup:
    path: Path
    manifest: dict = field(default_factory=dict)


def backup_create(*, out_dir: Path, actor_label: str = "manage.py backup") -> Backup:
    """Write a backup of the database Haven uses into out_dir (new, or an empty folder).

    Safe while Haven runs: SQLite's online backup API copies a consistent snapshot page by page
    while others read and write; pg_dump reads one snapshot of a running PostgreSQL. The backup
    is recorded in the access log (its system chain) before the copy, so the copy holds it.
    """
    kind = _database_kind()
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise BackupError(f"{out_dir} already exists and is not an empty folder: name a new one.")
    out_dir.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditAction.BACKUP,
            actor_label=actor_label,
            object_type="database",
            details={"database": kind, "folder": out_dir.name},
        )
    target = out_dir / FILES[kind]
    if kind == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        _pg_run(
            "pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", str(target)]
        )
    # The documents' files, as stored (encrypted), after the database: a file uploaded since is
    # one the restored database does not list, a document deleted since is named as missing.
    document_files, missing_files = files_backup(out_dir)
    files = {target.name: {"sha256": _sha256(target), "bytes": target.stat().st_size}}
    for path in document_files:
        relative = path.relative_to(out_dir).as_posix()
        files[relative] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
    manifest = {
        "format": FORMAT,
        "haven_version": haven_version(),
        "database": kind,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "migrations": _applied_migrations(),
        "files": files,
        "documents_missing": missing_files,
        "audit_chains": _chain_heads(),
        "field_keys": [key_fingerprint(key) for key in settings.FIELD_ENCRYPTION_KEYS],
        "blind_index_key": key_fingerprint(settings.BLIND_INDEX_KEY),
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return Backup(path=out_dir, manifest=manifest)


def backup_read(source: Path) -> dict:
    """The backup's manifest, after checking that its files are there and unchanged."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} holds no {MANIFEST}: it is not a Haven backup.") from None
    except json.JSONDecodeError as exc:
        raise BackupError(f"{source / MANIFEST} is not valid JSON ({exc}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{source} is a backup in format {manifest.get('format')!r}; "
            f"this Haven reads format {FORMAT}."
        )
    for name, facts in manifest.get("files", {}).items():
        path = source / name
        if not path.is_file():
            raise BackupError(f"The backup's file {name} is missing from {source}.")
        if _sha256(path) != facts.get("sha256"):
            raise BackupError(
                f"The backup's file {name} does not match its checksum: it was changed or "
                "damaged after the backup was made. Use another backup."
            )
    return manifest


def _refuse_unless_compatible(manifest: dict) -> list[str]:
    """Refuse another database kind or a newer schema; return migrations the backup lacks."""
    kind = _database_kind()
    if manifest.get("database") != kind:
        theirs = KIND_NAMES.get(manifest.get("database"), manifest.get("database"))
        raise BackupError(
            f"This is a backup of a {theirs} database, and Haven is set to use "
            f"{KIND_NAMES[kind]} (HAVEN_DATABASE_URL). Restore it into a {theirs} database."
        )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if unknown:
        raise BackupError(
            f"This backup was made by a newer Haven ({manifest.get('haven_version')}, "
            f"with migrations this version does not have: {', '.join(unknown[:5])}"
            f"{' ...' if len(unknown) > 5 else ''}). Upgrade Haven first, then restore."
        )
    return sorted(known - set(manifest.get("migrations", [])))


def _database_has_tables() -> bool:
    return bool(connection.introspection.table_names())


def _clear_database(kind: str) -> None:
    if kind == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    # SQLite: the backup API overwrites every page of the target, so nothing to clear.


@dataclass
class Restored:
    manifest: dict
    events_verified: int
    chains: int
    missing_migrations: list[str]
    keys_present: bool
    sample_readable: bool | None
    document_files: int = 0


def _load_dump(dump: Path, kind: str) -> None:
    """Replace the database's contents with the dump's."""
    _clear_database(kind)
    if kind == "sqlite":
        connection.ensure_connection()
        backup = sqlite3.connect(dump)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
    else:
        connection.close()
        _pg_run(
            "pg_restore",
            [
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(dump),
            ],
        )


def _verify_restored(manifest: dict) -> int:
    """Verify every chain of the restored access log against itself and the manifest's chain
    heads; the number of events verified."""
    total = 0
    for chain in chains():
        checked, broken = verify_chain(chain)
        if broken is not None:
            raise BackupError(f"Restored, but the access log does not verify: broken at {broken}.")
        total += checked
    if _chain_heads() != manifest.get("audit_chains", {}):
        raise BackupError(
            "Restored, but the access log's chain heads differ from the backup's manifest: "
            "the database file is not the one the manifest describes."
        )
    return total


def backup_restore(
    *, source: Path, replace: bool = False, actor_label: str = "manage.py restore"
) -> Restored:
    """Restore the database Haven is set to use from a backup folder, then verify it.

    Refused: a damaged backup, another database kind, a newer schema, and a database that
    already holds tables unless replace is given. Raises BackupError (after restoring) when
    the restored access log does not verify or differs from the manifest's chain heads.
    """
    manifest = backup_read(source)
    missing = _refuse_unless_compatible(manifest)
    kind = manifest["database"]
    if _database_has_tables() and not replace:
        raise BackupError(
            "The database Haven is set to use already holds tables. Restoring replaces "
            "everything in it: run again with --replace, or point HAVEN_DATABASE_URL at an "
            "empty database."
        )
    _load_dump(Path(source) / FILES[kind], kind)
    connection.close()  # read what was restored, not a cached view of the old database

    total = _verify_restored(manifest)
    current = {key_fingerprint(key) for key in settings.FIELD_ENCRYPTION_KEYS}
    keys_present = set(manifest.get("field_keys", [])) <= current and manifest.get(
        "blind_index_key"
    ) == key_fingerprint(settings.BLIND_INDEX_KEY)
    sample = _sample_readable()
    documents = files_restore(
        Path(source), [name for name in manifest.get("files", {}) if is_document_file(name)]
    )
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditAction.RESTORE,
            actor_label=actor_label,
            object_type="database",
            details={
                "database": kind,
                "backup_created_at": manifest.get("created_at"),
                "events_verified": total,
                "document_files": documents,
            },
        )
    return Restored(
        manifest=manifest,
        events_verified=total,
        chains=len(manifest.get("audit_chains", {})),
        missing_migrations=missing,
        keys_present=keys_present,
        sample_readable=sample,
        document_files=documents,
    )


def _sample_readable() -> bool | None:
    """Whether the configured field keys read one encrypted value of the restored database
    (None when it holds none yet)."""
    with all_agencies():
        for model in apps.get_models():
            for f in model._meta.local_concrete_fields:
                if not isinstance(f, EncryptedTextField) or model._meta.proxy:
                    continue
                token = (
                    model._base_manager.exclude(**{f"{f.attname}__isnull": True})
                    .exclude(**{f.attname: ""})
                    .annotate(_cipher=Cast(f.attname, output_field=TextField()))
                    .values_list("_cipher", flat=True)
                    .first()
                )
                if token:
                    try:
                        decrypt(token)
                    except Exception:
                        return False
                    return True
    return None
