"""Reads are appended without touching the chain's head and sealed into it later, in order:
by the worker, by the next write to the chain, and by audit_verify."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Max

from haven.audit.models import UNSEALED_MAX_MINUTES, AuditAction, AuditChainHead, AuditEvent
from haven.audit.selectors import verify_chain
from haven.audit.services import audit_record, audit_seal
from haven.audit.tasks import seal_audit_events

pytestmark = pytest.mark.django_db


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def head(chain: str) -> tuple[int, str]:
    h = AuditChainHead.objects.get(chain=chain)
    return h.seq, h.last_hash


def test_a_read_is_one_insert_and_leaves_the_head_alone(cast, django_assert_num_queries):
    chain = str(cast.agency_a.pk)
    before = head(chain)
    alice = cast.actor("advocate")

    with django_assert_num_queries(1):
        event = audit_record(actor=alice, action=AuditAction.CASE_VIEW, obj=cast.case_a)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.seq, stored.prev_hash, stored.hash) == (None, "", "")
    assert stored.actor_id == alice.user_id and stored.object_id == str(cast.case_a.pk)
    assert head(chain) == before
    assert verify_chain(chain) == (before[0], None)  # a fresh unsealed read is no break


def test_the_worker_seals_reads_in_the_order_they_were_written(cast):
    chain = str(cast.agency_a.pk)
    seq, last_hash = head(chain)
    alice = cast.actor("advocate")
    reads = [
        audit_record(actor=alice, action=AuditAction.CASE_VIEW, obj=cast.case_a) for _ in range(3)
    ]

    assert seal_audit_events.call_local() == 3

    sealed = list(AuditEvent.objects.filter(pk__in=[r.pk for r in reads]).order_by("id"))
    assert [e.seq for e in sealed] == [seq + 1, seq + 2, seq + 3]
    assert sealed[0].prev_hash == last_hash
    assert sealed[2].prev_hash == sealed[1].hash
    assert head(chain) == (seq + 3, sealed[2].hash)
    assert verify_chain(chain) == (seq + 3, None)
    assert audit_seal() == 0  # nothing left


def test_a_write_seals_the_pending_reads_before_itself(cast):
    chain = str(cast.agency_a.pk)
    seq, _ = head(chain)
    alice = cast.actor("advocate")
    read = audit_record(actor=alice, action=AuditAction.CASE_VIEW, obj=cast.case_a)

    write = audit_record(actor=alice, action=AuditAction.NOTE_ADD, obj=cast.case_a)

    read = AuditEvent.objects.get(pk=read.pk)
    assert (read.seq, write.seq) == (seq + 1, seq + 2)
    assert write.prev_hash == read.hash
    assert head(chain) == (seq + 2, write.hash)
    assert AuditEvent.objects.filter(chain=chain).aggregate(m=Max("seq"))["m"] == seq + 2


def test_audit_verify_seals_first_then_verifies_everything(cast):
    alice = cast.actor("advocate")
    audit_record(actor=alice, action=AuditAction.CASE_VIEW, obj=cast.case_a)

    out = verify()

    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    total = AuditEvent.objects.count()
    assert f"Audit log intact: {total} events verified." in out


def test_a_read_left_unsealed_too_long_is_a_break(clock, cast):
    chain = str(cast.agency_a.pk)
    alice = cast.actor("advocate")
    read = audit_record(actor=alice, action=AuditAction.CASE_VIEW, obj=cast.case_a)

    clock.shift(timedelta(minutes=UNSEALED_MAX_MINUTES + 1))
    checked, broken = verify_chain(chain)

    assert broken is not None and broken.event_id == read.pk
    assert "left unsealed for more than" in broken.problem


def test_a_read_changed_after_sealing_is_found(cast):
    chain = str(cast.agency_a.pk)
    alice = cast.actor("advocate")
    read = audit_record(actor=alice, action=AuditAction.CASE_VIEW, obj=cast.case_a)
    audit_seal()
    read = AuditEvent.objects.get(pk=read.pk)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute("UPDATE audit_auditevent SET reason = 'edited' WHERE id = %s", [read.pk])

    with pytest.raises(CommandError, match=rf"chain {chain}, entry {read.seq} .*content altered"):
        verify()


def test_the_orm_never_reseals_nor_rewrites_a_sealed_event(cast):
    event = AuditEvent.objects.filter(seq__isnull=False).first()

    assert AuditEvent.objects.seal(event.pk, seq=999, prev_hash="x", hash="y") == 0
    assert AuditEvent.objects.get(pk=event.pk).seq == event.seq


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigger is PostgreSQL's")
def test_the_database_lets_only_the_seal_through(cast):
    from django.db import DatabaseError, transaction

    alice = cast.actor("advocate")
    read = audit_record(actor=alice, action=AuditAction.CASE_VIEW, obj=cast.case_a)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE audit_auditevent SET seq = 99999, reason = 'x' WHERE id = %s", [read.pk]
        )
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET seq = 99999 WHERE id = %s", [read.pk])
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET seq = 5 WHERE id = %s", [read.pk])
