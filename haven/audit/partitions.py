"""The access log's monthly partitions on PostgreSQL (migration 0009; docs/scaling.md,
"Partitioning the access log"). SQLite keeps one table and has none.

Each month `at` falls in (UTC) has its partition, `audit_auditevent_YYYY_MM`, with a unique
index on (chain, seq); an event of a month without one lands in `audit_auditevent_default`.
`ensure_months` creates the months ahead (the worker daily, `manage.py audit_partitions` for
operators) and any month whose events sit in DEFAULT, moving them into it.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import connection, transaction
from django.utils import timezone

TABLE = "audit_auditevent"
DEFAULT = f"{TABLE}_default"
# How long creating a month waits for the table's lock before giving up until the next run: a
# lock request queued behind a long report would hold up every page's access event meanwhile.
LOCK_TIMEOUT = "5s"


@dataclass(frozen=True)
class MonthCreated:
    name: str
    month: date
    # Events moved out of the DEFAULT partition into this month's new one.
    moved: int


def _month(day: date, shift: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + shift
    return date(index // 12, index % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{TABLE}_{month:%Y_%m}"


def _bounds(month: date) -> tuple[str, str]:
    """The month's range as timestamp literals in UTC (DDL takes no parameters)."""
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    following = _month(month, 1)
    end = datetime(following.year, following.month, 1, tzinfo=UTC)
    return start.isoformat(), end.isoformat()


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [TABLE])
        return cursor.fetchone()[0] == "p"


def partitions() -> list[str]:
    """The partitions attached to the log now, by name (DEFAULT among them)."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = %s::regclass "
            "ORDER BY 1",
            [TABLE],
        )
        return [name for (name,) in cursor.fetchall()]


def _months_in_default(cursor) -> set[date]:
    cursor.execute("SELECT DISTINCT date_trunc('month', at, 'UTC') FROM audit_auditevent_default")
    return {row[0].astimezone(UTC).date() for row in cursor.fetchall()}


def _create_month(cursor, month: date) -> int:
    """Create the month's partition and its (chain, seq) unique index; events of that month
    already in DEFAULT are moved into it first. Returns how many were moved.

    PostgreSQL refuses a partition whose range has rows in DEFAULT, and the append-only
    trigger refuses to delete them from it. So DEFAULT is detached (which drops the triggers
    cloned onto it), the month created, its events copied in through the parent and deleted
    from the detached DEFAULT, and DEFAULT attached again (its triggers cloned anew). All in
    the caller's transaction, under the ACCESS EXCLUSIVE lock DETACH takes: no one sees the log
    without its DEFAULT, and the events are never in two places nor in none.
    """
    name = partition_name(month)
    start, end = _bounds(month)
    in_range = "FROM audit_auditevent_default WHERE at >= %s AND at < %s"
    cursor.execute("SELECT count(*) " + in_range, [start, end])
    waiting = cursor.fetchone()[0]
    if waiting:
        cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {DEFAULT}")
    cursor.execute(
        f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM ('{start}') TO ('{end}')"
    )
    cursor.execute(f"CREATE UNIQUE INDEX {name}_chain_seq ON {name} (chain, seq)")
    if waiting:
        cursor.execute("INSERT INTO audit_auditevent SELECT * " + in_range, [start, end])
        cursor.execute("DELETE " + in_range, [start, end])
        cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {DEFAULT} DEFAULT")
    return waiting


def ensure_months(*, ahead: int = 3, today: date | None = None) -> list[MonthCreated]:
    """Create the log's partitions from this month to `ahead` months on, and for every month
    with events in DEFAULT (moving them in); those that exist are left alone. One transaction
    per month; returns what was created. Nothing on SQLite, or before migration 0009."""
    if not is_partitioned():
        return []
    today = today or timezone.now().astimezone(UTC).date()
    wanted = {_month(today, shift) for shift in range(ahead + 1)}
    with connection.cursor() as cursor:
        wanted |= _months_in_default(cursor)
    created = []
    for month in sorted(wanted):
        name = partition_name(month)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            # Two runs at once (the worker and an operator) take turns here; the second then
            # finds the month made.
            cursor.execute(f"LOCK TABLE {TABLE} IN SHARE UPDATE EXCLUSIVE MODE")
            if name in partitions():
                continue
            created.append(MonthCreated(name=name, month=month, moved=_create_month(cursor, month)))
    return created
