"""Migration audit 0009 turns the access log into a table partitioned by month on PostgreSQL
and keeps every row: the test migrates its own database back to audit 0008 (one plain table
again), writes a chain across two months there, migrates forward and checks every event is in
its month's partition, unchanged, the chain verifies and ids go on increasing.

Run it with HAVEN_DATABASE_URL=postgres://...; SQLite keeps one table and skips it.
"""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from haven.audit.models import SYSTEM_CHAIN, AuditAction, AuditEvent
from haven.audit.partitions import is_partitioned
from haven.audit.selectors import verify_chain
from haven.audit.services import audit_record

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the access log is partitioned on PostgreSQL only; SQLite keeps one table",
    ),
    pytest.mark.django_db(transaction=True),
]

BEFORE = [("audit", "0008_redaction")]


def _migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(target)


def _latest() -> None:
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _write(when: datetime, action: AuditAction) -> AuditEvent:
    with time_machine.travel(when, tick=False), transaction.atomic():
        return audit_record(actor=None, action=action, actor_label="migration test")


def _rows() -> list[tuple]:
    return list(AuditEvent.objects.order_by("id").values_list())


def test_the_migration_keeps_every_event_in_its_month():
    try:
        _migrate(BEFORE)
        assert not is_partitioned()
        _write(datetime(2030, 1, 31, 23, 59, tzinfo=UTC), AuditAction.DATA_LOAD)
        _write(datetime(2030, 2, 1, 0, 1, tzinfo=UTC), AuditAction.AUDIT_VERIFY)
        _write(datetime(2030, 2, 1, 0, 2, tzinfo=UTC), AuditAction.CASE_VIEW)  # unsealed
        before = _rows()

        _latest()

        assert is_partitioned()
        assert _rows() == before
        with connection.cursor() as cursor:
            cursor.execute("SELECT tableoid::regclass::text FROM audit_auditevent ORDER BY id", [])
            where = [name for (name,) in cursor.fetchall()]
        assert where == ["audit_auditevent_2030_01"] + ["audit_auditevent_2030_02"] * 2
        after = _write(datetime(2030, 2, 2, tzinfo=UTC), AuditAction.DATA_LOAD)
        assert after.pk > before[-1][0]
        assert verify_chain(SYSTEM_CHAIN) == (4, None)  # the read was sealed before it
    finally:
        _latest()
