"""The log's loss is noticed: a whole chain or the whole log deleted, and a rewritten tail
caught by heads anchored outside the database."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from haven.audit.models import AuditAction, AuditChainHead, AuditEvent
from haven.audit.services import audit_record
from haven.audit.tasks import anchor_audit_heads

pytestmark = pytest.mark.django_db


def verify(*args) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def anchor(path) -> str:
    out = StringIO()
    call_command("audit_anchor", "--out", str(path), stdout=out)
    return out.getvalue()


def raw(*statements) -> None:
    """SQL as an attacker with the database's password would run it, past the ORM and (on
    PostgreSQL) with the append-only trigger disabled; the test's transaction rolls it back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        for sql, params in statements:
            cursor.execute(sql, params)


def test_emptying_both_tables_is_found_while_records_exist(cast):
    if connection.vendor == "postgresql":
        raw(("TRUNCATE audit_auditevent, audit_auditchainhead", []))
    else:
        raw(("DELETE FROM audit_auditevent", []), ("DELETE FROM audit_auditchainhead", []))
    assert AuditEvent.objects.count() == 0 and AuditChainHead.objects.count() == 0

    with pytest.raises(CommandError, match="the access log is empty while \\d+ people and cases"):
        verify()


def test_deleting_one_agencys_whole_chain_is_found_and_the_agency_named(cast):
    chain = str(cast.agency_b.pk)
    raw(
        ("DELETE FROM audit_auditevent WHERE chain = %s", [chain]),
        ("DELETE FROM audit_auditchainhead WHERE chain = %s", [chain]),
    )

    with pytest.raises(CommandError) as refused:
        verify()
    message = str(refused.value)
    assert f"agency {cast.agency_b.pk} ({cast.agency_b.name})" in message
    assert "has no audit chain: its events and chain head are missing" in message
    assert f"agency {cast.agency_a.pk} " not in message
    assert refused.value.returncode == 1


def test_an_agency_without_records_needs_no_chain(cast):
    from haven.agencies.models import Agency

    Agency.objects.create(name="New unit", slug="new-unit")
    assert "Audit log intact" in verify()


def test_the_anchor_command_appends_every_head_and_verification_accepts_them(cast, tmp_path):
    path = tmp_path / "anchors.jsonl"
    out = anchor(path)
    head = AuditChainHead.objects.get(chain=str(cast.agency_a.pk))
    assert f"chain {head.chain}: entry {head.seq}, hash {head.last_hash}" in out
    first = path.read_text().splitlines()
    rows = [json.loads(line) for line in first]
    assert {"chain": head.chain, "seq": head.seq, "hash": head.last_hash} in [
        {k: row[k] for k in ("chain", "seq", "hash")} for row in rows
    ]

    audit_record(actor=cast.actor("advocate"), action=AuditAction.CASE_VIEW, obj=cast.case_a)
    anchor(path)

    lines = path.read_text().splitlines()
    assert lines[: len(first)] == first  # appended, never rewritten
    assert len(lines) == 2 * len(first)
    out = verify("--anchors", str(path))
    assert f"All {len(lines)} anchored heads are in the log." in out


def test_a_rewritten_tail_passes_the_chain_walk_but_not_the_anchors(cast, tmp_path):
    path = tmp_path / "anchors.jsonl"
    anchor(path)
    chain = str(cast.agency_a.pk)
    events = list(AuditEvent.objects.filter(chain=chain).order_by("seq"))
    last, before = events[-1], events[-2]
    # Drop the last event, point the head at the one before, and write a new, valid last one.
    raw(
        ("DELETE FROM audit_auditevent WHERE id = %s", [last.pk]),
        (
            "UPDATE audit_auditchainhead SET seq = %s, last_hash = %s WHERE chain = %s",
            [before.seq, before.hash, chain],
        ),
    )
    audit_record(actor=None, action=AuditAction.DATA_LOAD, actor_label="x", agency_id=int(chain))

    assert "Audit log intact" in verify()  # the chain itself is consistent again
    with pytest.raises(CommandError) as refused:
        verify("--anchors", str(path))
    assert str(refused.value) == (
        f"Audit log does not match its anchors: chain {chain}: entry {last.seq} "
        f"(anchored {json.loads(path.read_text().splitlines()[0])['at']}) differs from its "
        "anchor (the log was rewritten)."
    )


def test_a_truncated_tail_is_found_through_the_anchors(cast, tmp_path):
    path = tmp_path / "anchors.jsonl"
    anchor(path)
    chain = str(cast.agency_b.pk)
    events = list(AuditEvent.objects.filter(chain=chain).order_by("seq"))
    raw(
        ("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk]),
        (
            "UPDATE audit_auditchainhead SET seq = %s, last_hash = %s WHERE chain = %s",
            [events[-2].seq, events[-2].hash, chain],
        ),
    )

    assert "Audit log intact" in verify()
    with pytest.raises(CommandError, match=f"entry {events[-1].seq} .*is missing from the log"):
        verify("--anchors", str(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Cannot read the anchor file"),
        ("", "holds no anchors"),
        ("not json\n", "line 1 is not an anchor"),
        ('{"chain": "1", "seq": "x", "hash": "a"}\n', "line 1 is not an anchor"),
        ('{"chain": "1"}\n', "line 1 is not an anchor"),
    ],
)
def test_a_bad_anchor_file_is_refused_with_a_clear_message(cast, tmp_path, content, message):
    path = tmp_path / "anchors.jsonl"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match=message):
        verify("--anchors", str(path))


def test_the_anchor_command_refuses_a_directory(cast, tmp_path):
    with pytest.raises(CommandError, match="is a directory"):
        anchor(tmp_path)


def test_the_daily_task_appends_to_the_configured_directory(cast, tmp_path, settings):
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    assert anchor_audit_heads.call_local() == AuditChainHead.objects.filter(seq__gt=0).count()
    assert anchor_audit_heads.call_local() > 0

    path = tmp_path / "anchors" / "audit-anchors.jsonl"
    lines = path.read_text().splitlines()
    assert len(lines) == 2 * AuditChainHead.objects.filter(seq__gt=0).count()
    assert "Audit log intact" in verify("--anchors", str(path))
