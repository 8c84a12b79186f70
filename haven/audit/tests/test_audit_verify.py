import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from haven.audit.models import SYSTEM_CHAIN, AuditAction, AuditChainHead, AuditEvent
from haven.audit.services import audit_record, audit_record_many


def verify(*args) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def events_of(chain: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(chain=chain).order_by("seq"))


def write_past_the_orm(sql: str, params: list) -> None:
    """Run an UPDATE or DELETE on the log as a stray SQL session would.

    On PostgreSQL the append-only trigger refuses it first; the test then disables the trigger
    (the test user is a superuser; the test's transaction rolls the ALTER back) to check that
    verification catches what a database owner could still do.
    """
    if connection.vendor == "postgresql":
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_the_casts_log_verifies(cast):
    out = verify()

    total = AuditEvent.objects.count()
    assert total > 0
    assert f"Audit log intact: {total} events verified." in out
    head = AuditChainHead.objects.get(chain=str(cast.agency_a.pk))
    assert f"chain {cast.agency_a.pk}: {head.seq} events, last hash {head.last_hash}" in out


@pytest.mark.django_db
def test_one_chain_can_be_checked_alone_and_an_unknown_one_is_an_error(cast):
    out = verify("--chain", str(cast.agency_b.pk))

    assert f"chain {cast.agency_b.pk}:" in out
    assert f"chain {cast.agency_a.pk}:" not in out
    with pytest.raises(CommandError, match="No audit chain named '999999'"):
        verify("--chain", "999999")


@pytest.mark.django_db
def test_a_changed_reason_is_found_and_named(cast):
    chain = str(cast.agency_a.pk)
    target = events_of(chain)[2]

    write_past_the_orm(
        "UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["nothing to see", target.pk]
    )

    with pytest.raises(CommandError) as refused:
        verify()
    assert str(refused.value) == (
        f"Audit log broken at chain {chain}, entry {target.seq} (event id {target.pk}): "
        "content altered."
    )
    assert refused.value.returncode == 1


@pytest.mark.django_db
def test_a_deleted_event_in_the_middle_is_found(cast):
    chain = str(cast.agency_a.pk)
    events = events_of(chain)
    middle = events[len(events) // 2]

    write_past_the_orm("DELETE FROM audit_auditevent WHERE id = %s", [middle.pk])

    with pytest.raises(
        CommandError,
        match=rf"chain {chain}, entry {middle.seq} \(a missing event\): entry missing",
    ):
        verify()


@pytest.mark.django_db
def test_a_deleted_last_event_is_found_through_the_chain_head(cast):
    chain = str(cast.agency_a.pk)
    last = events_of(chain)[-1]

    write_past_the_orm("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])

    with pytest.raises(
        CommandError,
        match=rf"chain {chain}, entry {last.seq} \(a missing event\): entries missing at the end",
    ):
        verify()


@pytest.mark.django_db
def test_a_deleted_chain_head_is_found(cast):
    chain = str(cast.agency_b.pk)
    AuditChainHead.objects.filter(chain=chain).delete()

    with pytest.raises(CommandError, match=rf"chain {chain}, entry \d+ .*chain head missing"):
        verify()


@pytest.mark.django_db
def test_the_orm_refuses_to_change_or_delete_an_event(cast):
    event = AuditEvent.objects.filter(chain=str(cast.agency_a.pk)).order_by("seq").first()
    events = AuditEvent.objects.filter(pk=event.pk)

    event.reason = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        events.update(reason="rewritten")
    with pytest.raises(PermissionError):
        events.delete()
    # bulk_update opens an atomic block without a savepoint: keep the test's transaction usable.
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["reason"])
    with pytest.raises(PermissionError):
        AuditEvent._base_manager.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_create(
            [event], update_conflicts=True, unique_fields=["id"], update_fields=["reason"]
        )

    assert AuditEvent.objects.get(pk=event.pk).reason == ""
    assert "Audit log intact" in verify()


@pytest.mark.django_db
def test_many_writers_make_unbroken_chains_one_per_agency(cast):
    chain_a, chain_b = str(cast.agency_a.pk), str(cast.agency_b.pk)
    before = {chain: len(events_of(chain)) for chain in (chain_a, chain_b, SYSTEM_CHAIN)}
    alice, charlie = cast.actor("advocate"), cast.actor("other_advocate")

    for i in range(30):
        with transaction.atomic():
            audit_record(actor=alice, action=AuditAction.CASE_STATUS, obj=cast.case_a)
            audit_record(actor=charlie, action=AuditAction.CASE_STATUS, obj=cast.case_b)
            if i % 3 == 0:
                audit_record(actor=None, action=AuditAction.DATA_LOAD, actor_label="test")

    expected = {chain_a: 30, chain_b: 30, SYSTEM_CHAIN: 10}
    for chain, added in expected.items():
        events = events_of(chain)
        assert [e.seq for e in events] == list(range(1, before[chain] + added + 1))
        assert events[0].prev_hash == ""
        for previous, event in zip(events, events[1:], strict=False):
            assert event.prev_hash == previous.hash
    assert {e.agency_id for e in events_of(chain_a)} == {cast.agency_a.pk}
    assert {e.agency_id for e in events_of(chain_b)} == {cast.agency_b.pk}
    assert {e.agency_id for e in events_of(SYSTEM_CHAIN)} == {None}
    assert "Audit log intact" in verify()


@pytest.mark.django_db
def test_an_unusual_address_is_hashed_as_stored(cast):
    event = audit_record(
        actor=None,
        action=AuditAction.DATA_LOAD,
        actor_label="test",
        agency_id=cast.agency_a.pk,
        ip="2001:DB8:0:0:0:0:0:1",
    )

    assert AuditEvent.objects.get(pk=event.pk).ip == "2001:db8::1"
    assert "Audit log intact" in verify()


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="SQLite's shared-cache test database cannot take concurrent writers",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_to_one_chain_queue_instead_of_forking_it():
    threads_count, per_thread = 4, 15
    errors = []

    def write():
        try:
            for _ in range(per_thread):
                with transaction.atomic():
                    audit_record(
                        actor=None,
                        action=AuditAction.DATA_LOAD,
                        actor_label="thread",
                        agency_id=424242,
                    )
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    events = events_of("424242")
    assert [e.seq for e in events] == list(range(1, threads_count * per_thread + 1))
    for previous, event in zip(events, events[1:], strict=False):
        assert event.prev_hash == previous.hash
    assert "Audit log intact" in verify()


@pytest.mark.django_db
def test_a_batch_appended_at_once_continues_the_chain_in_order(cast):
    chain = str(cast.agency_a.pk)
    alice = cast.actor("advocate")
    audit_record(actor=alice, action=AuditAction.CASE_STATUS, obj=cast.case_a)
    before = events_of(chain)

    with transaction.atomic():
        written = audit_record_many(
            actor=alice,
            action=AuditAction.CASE_VIEW,
            records=[(cast.case_a, {"n": n}) for n in range(5)],
        )
    audit_record(actor=alice, action=AuditAction.CASE_STATUS, obj=cast.case_a)

    events = events_of(chain)
    assert [e.seq for e in events] == list(range(1, len(before) + 7))
    assert [e.details for e in events[len(before) : len(before) + 5]] == [
        {"n": n} for n in range(5)
    ]
    assert [e.pk for e in written] == [e.pk for e in events[len(before) : len(before) + 5]]
    assert AuditChainHead.objects.get(chain=chain).last_hash == events[-1].hash
    assert "Audit log intact" in verify()
