"""The access log partitioned by month on PostgreSQL (migration 0009, haven.audit.partitions):
each event in its month's partition, the append-only trigger on every partition, (chain, seq)
unique across months, the months created ahead and DEFAULT's events moved into their month.

Run them with HAVEN_DATABASE_URL=postgres://...; SQLite keeps one table and skips them.
"""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from haven.audit.models import AuditAction, AuditEvent
from haven.audit.partitions import DEFAULT, ensure_months, is_partitioned, partitions
from haven.audit.selectors import verify_chain
from haven.audit.services import audit_record, audit_seal
from haven.audit.tasks import ensure_audit_months

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the access log is partitioned on PostgreSQL only; SQLite keeps one table",
    ),
    pytest.mark.django_db,
]


def partition_of(event_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s", [event_id]
        )
        return cursor.fetchone()[0]


def record_at(when: datetime, actor, action=AuditAction.NOTE_ADD, **kwargs) -> AuditEvent:
    with time_machine.travel(when, tick=False), transaction.atomic():
        return audit_record(actor=actor, action=action, **kwargs)


def raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_log_is_partitioned_with_a_default_and_the_months_ahead():
    assert is_partitioned()
    names = partitions()
    assert DEFAULT in names
    today = datetime.now(UTC).date()
    assert f"audit_auditevent_{today:%Y_%m}" in names
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s",
            ["audit_auditevent_pkey"],
        )
        assert cursor.fetchone()[0] == "PRIMARY KEY (id, at)"


def test_an_event_lands_in_its_months_partition(cast):
    ensure_months(ahead=0, today=date(2031, 3, 1))
    event = record_at(datetime(2031, 3, 31, 23, 59, tzinfo=UTC), cast.actor("advocate"))
    later = record_at(datetime(2031, 4, 1, 0, 1, tzinfo=UTC), cast.actor("advocate"))

    assert partition_of(event.pk) == "audit_auditevent_2031_03"
    assert partition_of(later.pk) == DEFAULT  # no April partition yet: nothing refused
    assert later.pk > event.pk


def test_the_trigger_refuses_update_and_delete_on_a_partition_and_still_allows_sealing(cast):
    alice = cast.actor("advocate")
    ensure_months(ahead=0, today=date(2031, 3, 1))
    written = record_at(datetime(2031, 3, 2, tzinfo=UTC), alice)
    read = record_at(
        datetime(2031, 3, 3, tzinfo=UTC), alice, AuditAction.CASE_VIEW, obj=cast.case_a
    )
    for sql in (
        "UPDATE audit_auditevent_2031_03 SET reason = 'edited' WHERE id = %s",
        "DELETE FROM audit_auditevent_2031_03 WHERE id = %s",
        "UPDATE audit_auditevent SET actor_label = 'someone' WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            raw(sql, [written.pk])

    assert audit_seal(chain=str(cast.agency_a.pk)) == 1

    sealed = AuditEvent.objects.get(pk=read.pk)
    assert sealed.seq == written.seq + 1 and sealed.prev_hash == written.hash
    assert partition_of(read.pk) == "audit_auditevent_2031_03"


def test_the_chain_verifies_across_a_month_boundary(cast):
    alice, chain = cast.actor("advocate"), str(cast.agency_a.pk)
    ensure_months(ahead=1, today=date(2031, 1, 1))
    last_of_january = record_at(
        datetime(2031, 1, 31, 23, 59, tzinfo=UTC), alice, AuditAction.CASE_VIEW, obj=cast.case_a
    )
    first_of_february = record_at(datetime(2031, 2, 1, 0, 1, tzinfo=UTC), alice)

    assert partition_of(last_of_january.pk) == "audit_auditevent_2031_01"
    assert partition_of(first_of_february.pk) == "audit_auditevent_2031_02"
    january = AuditEvent.objects.get(pk=last_of_january.pk)  # sealed by February's write
    assert first_of_february.prev_hash == january.hash
    checked, broken = verify_chain(chain)
    assert broken is None and checked == first_of_february.seq


def test_a_place_in_a_chain_taken_in_another_month_is_refused(cast):
    ensure_months(ahead=1, today=date(2031, 1, 1))
    first = record_at(datetime(2031, 1, 10, tzinfo=UTC), cast.actor("advocate"))
    copy = (
        "INSERT INTO audit_auditevent (chain, seq, at, actor_label, role, action, object_type, "
        "object_id, user_agent, reason, details, prev_hash, hash) "
        "VALUES (%s, %s, %s, 'x', '', 'note.add', '', '', '', '', '{}', '', '')"
    )
    for when in (datetime(2031, 2, 10, tzinfo=UTC), datetime(2031, 1, 11, tzinfo=UTC)):
        with pytest.raises(IntegrityError, match="already has an entry"):
            raw(copy, [first.chain, first.seq, when])
    # Sealing an unsealed event into a place already taken is refused the same way.
    read = record_at(
        datetime(2031, 2, 11, tzinfo=UTC), cast.actor("advocate"), AuditAction.CASE_VIEW
    )
    with pytest.raises(IntegrityError, match="already has an entry"), transaction.atomic():
        AuditEvent.objects.seal(read.pk, seq=first.seq, prev_hash="", hash="")
    assert AuditEvent.objects.filter(chain=first.chain, seq=first.seq).count() == 1


def test_ensure_months_creates_the_months_ahead_once():
    created = ensure_months(ahead=2, today=date(2032, 11, 15))

    assert [(m.name, m.moved) for m in created] == [
        ("audit_auditevent_2032_11", 0),
        ("audit_auditevent_2032_12", 0),
        ("audit_auditevent_2033_01", 0),
    ]
    assert {m.name for m in created} <= set(partitions())
    assert ensure_months(ahead=2, today=date(2032, 11, 15)) == []


def test_events_in_default_are_moved_into_their_month_when_it_is_created(cast):
    alice = cast.actor("advocate")
    stray = record_at(datetime(2034, 5, 10, tzinfo=UTC), alice)
    read = record_at(datetime(2034, 5, 11, tzinfo=UTC), alice, AuditAction.CASE_VIEW)
    assert partition_of(stray.pk) == partition_of(read.pk) == DEFAULT

    out = StringIO()
    call_command("audit_partitions", "--ahead", "0", stdout=out)

    assert "Created audit_auditevent_2034_05, 2 events moved in" in out.getvalue()
    assert partition_of(stray.pk) == partition_of(read.pk) == "audit_auditevent_2034_05"
    # The moved read is sealed where it now is, and the chain verifies.
    assert audit_seal(chain=str(cast.agency_a.pk)) == 1
    assert verify_chain(str(cast.agency_a.pk))[1] is None
    # DEFAULT is attached again, and append-only again.
    assert DEFAULT in partitions()
    later = record_at(datetime(2035, 1, 1, tzinfo=UTC), alice)
    assert partition_of(later.pk) == DEFAULT
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"DELETE FROM {DEFAULT}", [])  # noqa: S608 (fixed name)


def test_the_worker_creates_the_months_daily():
    today = datetime.now(UTC).date()
    with time_machine.travel(datetime(2036, 6, 1, 12, tzinfo=UTC), tick=False):
        names = ensure_audit_months.call_local()
    assert names[0] == "audit_auditevent_2036_06" and len(names) == 4
    assert f"audit_auditevent_{today:%Y_%m}" not in names  # exists since the migration
