"""Archiving a month of the access log on PostgreSQL (manage.py audit_archive_month;
docs/scaling.md, "Archiving a month").

The month's partition is dumped (pg_dump --table) with a manifest, each chain's last entry in
the month is kept as an archive cut (AuditArchiveCut, and one line in the anchor file outside
the database), and the partition is detached and dropped. verify_chain then walks each chain
from its cut. Months go oldest first, never the current one; any failed step refuses the
whole archiving and nothing is dropped.
"""

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from haven.audit.models import AuditArchiveCut, AuditEvent
from haven.audit.partitions import (
    DEFAULT,
    LOCK_TIMEOUT,
    TABLE,
    is_partitioned,
    partition_name,
    partitions,
)
from haven.audit.selectors import cut_anchor, verify_chain
from haven.audit.services import audit_seal


class ArchiveRefused(Exception):
    """Archiving refused before anything was dropped; the message says why."""


@dataclass(frozen=True)
class MonthArchived:
    partition: str
    dump: Path
    manifest: Path
    rows: int
    cuts: list[AuditArchiveCut]


def parse_month(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").replace(tzinfo=UTC).date()
    except ValueError:
        raise ArchiveRefused(f"{text!r} is not a month: give it as YYYY-MM.") from None


def _month_of(name: str) -> date | None:
    """The month of a monthly partition's name; None for DEFAULT."""
    if name == DEFAULT:
        return None
    year, month = name.removeprefix(f"{TABLE}_").split("_")
    return date(int(year), int(month), 1)


def _check_order(month: date, today: date) -> str:
    """The month's partition, if it may be archived now: a past month, and the oldest kept."""
    name = partition_name(month)
    if month >= today.replace(day=1):
        raise ArchiveRefused(f"{month:%Y-%m} is not over yet: only a past month is archived.")
    names = partitions()
    if name not in names:
        raise ArchiveRefused(f"The access log has no partition for {month:%Y-%m} ({name}).")
    older = sorted(m for n in names if (m := _month_of(n)) is not None and m < month)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(at) FROM {DEFAULT}")  # noqa: S608 (our own table name)
        in_default = cursor.fetchone()[0]
    if in_default is not None and in_default.astimezone(UTC).date() < month:
        older.insert(0, in_default.astimezone(UTC).date().replace(day=1))
    if older:
        raise ArchiveRefused(
            f"{older[0]:%Y-%m} is older than {month:%Y-%m} and still kept: "
            "archive the months oldest first."
        )
    return name


def _cuts(name: str, month: date) -> tuple[list[AuditArchiveCut], int]:
    """Each chain's last entry in the partition, and the partition's rows, after checking each
    chain is intact and the month holds the whole stretch of it after its previous cut."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT chain, count(*), count(seq), min(seq), max(seq) FROM {name} "  # noqa: S608
            "GROUP BY chain ORDER BY chain"
        )
        rows = cursor.fetchall()
    now, cuts = timezone.now(), []
    for chain, count, sealed, first, last in rows:
        if sealed != count:
            raise ArchiveRefused(f"Chain {chain} has reads of {month:%Y-%m} not sealed yet.")
        _checked, broken = verify_chain(chain)
        if broken:
            raise ArchiveRefused(f"The audit log is broken at {broken}: nothing archived.")
        if AuditArchiveCut.objects.filter(chain=chain, month=month).exists():
            raise ArchiveRefused(
                f"{month:%Y-%m} was archived before and restored; its cuts are kept: "
                "detach and drop it by hand once the inquiry is over."
            )
        previous = AuditArchiveCut.objects.filter(chain=chain).order_by("-seq").first()
        stretch = AuditEvent.objects.filter(chain=chain, seq__gte=first, seq__lte=last)
        if first != (previous.seq if previous else 0) + 1 or stretch.count() != count:
            raise ArchiveRefused(
                f"Chain {chain}'s entries {first} to {last} are not all in {month:%Y-%m} "
                "(events written across the month's end): nothing archived."
            )
        last_hash = AuditEvent.objects.get(chain=chain, seq=last).hash
        cuts.append(AuditArchiveCut(chain=chain, seq=last, hash=last_hash, month=month, at=now))
    return cuts, sum(row[1] for row in rows)


def _manifest(name: str, month: date, dump: Path, sha256: str, rows: int, cuts) -> str:
    return json.dumps(
        {
            "partition": name,
            "month": f"{month:%Y-%m}",
            "dump": dump.name,
            "sha256": sha256,
            "rows": rows,
            "cuts": [json.loads(cut_anchor(cut).as_json()) for cut in cuts],
            "archived_at": timezone.now().isoformat(timespec="seconds"),
        },
        indent=2,
        sort_keys=True,
    )


def _pg_environment() -> dict[str, str]:
    """The connection for pg_dump, in the environment (no password in the process list)."""
    db = connection.settings_dict
    names = {"NAME": "PGDATABASE", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
    names |= {"HOST": "PGHOST", "PORT": "PGPORT"}
    env = dict(os.environ)
    env.update({pg: str(db[key]) for key, pg in names.items() if db.get(key)})
    return env


def _dump(name: str, out: Path) -> tuple[Path, str]:
    """pg_dump of the partition (custom format) into `out`; returns the file and its sha256."""
    program = shutil.which("pg_dump")
    if program is None:
        raise ArchiveRefused(
            "pg_dump is not installed (Debian: apt-get install postgresql-client)."
        )
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{name}.pgdump"
    if target.exists():
        raise ArchiveRefused(f"{target} exists already: give another --out directory.")
    args = ["--format=custom", "--no-owner", "--no-privileges", f"--table={name}"]
    result = subprocess.run(  # noqa: S603 (fixed program and arguments, no shell)
        [program, *args, f"--file={target}"],
        env=_pg_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise ArchiveRefused(f"pg_dump failed: {result.stderr.strip() or result.returncode}")
    digest = hashlib.sha256()
    with target.open("rb") as dump:
        for block in iter(lambda: dump.read(1 << 20), b""):
            digest.update(block)
    return target, digest.hexdigest()


def _append_cuts(path: Path, cuts: list[AuditArchiveCut]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        for cut in cuts:
            out.write(cut_anchor(cut).as_json() + "\n")
        out.flush()
        os.fsync(out.fileno())


def audit_archive_month(
    *, month: date, out: Path, anchor_file: Path, today: date | None = None
) -> MonthArchived:
    """Archive one past month of the log (the oldest kept): seal, cut, dump, detach, drop.

    The cuts and the detach and drop are one transaction, under the lock of the table; the
    cut lines are appended to the anchor file and the manifest written inside it, so a failure
    to write them rolls everything back. Raises ArchiveRefused, with nothing dropped."""
    if not is_partitioned():
        raise ArchiveRefused(
            "The access log is one table here (SQLite): it has no monthly partitions to archive."
        )
    name = _check_order(month, today or timezone.now().astimezone(UTC).date())
    audit_seal()
    cuts, counted = _cuts(name, month)
    try:
        dump, sha256 = _dump(name, out)
    except OSError as exc:
        raise ArchiveRefused(f"Cannot write the dump in {out}: {exc.strerror}.") from None
    manifest = out / f"{name}.manifest.json"
    try:
        with transaction.atomic():
            rows = _detach(name, counted, cuts)
            # Inside the transaction: if either cannot be written, nothing is dropped.
            manifest.write_text(_manifest(name, month, dump, sha256, rows, cuts))
            _append_cuts(anchor_file, cuts)
    except (ArchiveRefused, DatabaseError, OSError) as exc:
        dump.unlink(missing_ok=True)  # nothing was dropped: the dump is not an archive
        manifest.unlink(missing_ok=True)
        if isinstance(exc, ArchiveRefused):
            raise
        if isinstance(exc, OSError):
            raise ArchiveRefused(
                f"Cannot write the manifest or the anchor file: {exc.strerror}; nothing dropped."
            ) from None
        raise ArchiveRefused(f"Could not detach {name}: {exc}; nothing dropped.") from None
    return MonthArchived(partition=name, dump=dump, manifest=manifest, rows=rows, cuts=cuts)


def _detach(name: str, counted: int, cuts: list[AuditArchiveCut]) -> int:
    """Record the cuts, detach and drop the partition, in the caller's transaction, under the
    table's lock; refused if the partition no longer holds what was dumped. Returns its rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608 (our own table name)
        rows = cursor.fetchone()[0]
        if rows != counted:
            raise ArchiveRefused(f"{name} changed while it was dumped: nothing dropped.")
        AuditArchiveCut.objects.bulk_create(cuts)
        cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {name}")
        cursor.execute(f"DROP TABLE {name}")
    return rows
