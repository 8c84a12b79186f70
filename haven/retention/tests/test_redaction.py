"""A purge takes the words staff typed (an event's reason, free-text details) out of the
access log's events about the records it destroyed, and the log still verifies; a redaction
no purge vouches for, or a change to a redacted event, is detected (docs/retention.md)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from haven.audit.models import AuditAction, AuditEvent
from haven.audit.selectors import verify_chain
from haven.audit.services import audit_record
from haven.cases.models import CaseStatus
from haven.cases.services import case_change_status
from haven.cases.testing import make_case
from haven.retention.models import RecordKind
from haven.retention.services import batch_approve, batch_propose, schedule_save

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
WORDS = "Staying at her sister's on Elm St"


@pytest.fixture
def purged(cast, sam, cora, clock):
    """Case A, with words typed about it and its victim, closed in 2023 and purged in 2026;
    case A2 (not closed) has words typed about it too."""
    case, other = cast.case_a, make_case(sam, first_name="Eva", last_name="Other")
    typed = {
        "case": audit_record(
            actor=sam, action=AuditAction.CASE_EXPORT, obj=case, reason=f"Court asked. {WORDS}"
        ),
        "child": audit_record(
            actor=sam,
            action=AuditAction.CASE_STATUS,
            object_type="cases.note",
            object_id=99,
            details={"case": case.pk, "fields": ["body"], "note": WORDS, "kind": "general"},
        ),
        "person": audit_record(
            actor=sam,
            action=AuditAction.PERSON_VIEW,
            obj=case.primary_victim,
            reason=f"Break-glass: {WORDS}",
        ),
        "kept": audit_record(actor=sam, action=AuditAction.CASE_EXPORT, obj=other, reason=WORDS),
    }
    clock.move_to(datetime(2023, 3, 10, 16, 0, tzinfo=CHICAGO))
    case_change_status(actor=sam, case=case, status=CaseStatus.CLOSED, close_reason="goals_met")
    schedule_save(
        actor=cora, kind=RecordKind.CLOSED_CASE, years=3, legal_basis="Schedule 24-017 (test)"
    )
    clock.move_to(datetime(2026, 4, 1, 9, 0, tzinfo=CHICAGO))
    certificate = batch_approve(
        actor=cora, batch=batch_propose(actor=sam, kind=RecordKind.CLOSED_CASE)
    )
    assert certificate.count == 1
    return {name: AuditEvent.objects.get(pk=event.pk) for name, event in typed.items()}


def test_the_words_about_destroyed_records_go_and_the_log_still_verifies(cast, purged):
    case, child, person, kept = (purged[k] for k in ("case", "child", "person", "kept"))
    assert case.reason == person.reason == ""
    assert child.details == {"case": cast.case_a.pk, "fields": ["body"], "kind": "general"}
    assert (case.action, case.object_id, case.actor_label) == (
        AuditAction.CASE_EXPORT,
        str(cast.case_a.pk),
        kept.actor_label,
    )  # who did what to which record, when, stays
    assert kept.reason == WORDS and kept.redacted_by is None  # another case's words stay
    vouching = AuditEvent.objects.get(pk=case.redacted_by)
    assert vouching.action == AuditAction.REDACT and vouching.seq > case.seq
    assert {pk for pk, _digest in vouching.details["events"]} >= {
        case.pk,
        child.pk,
        person.pk,
    }
    assert WORDS not in str(list(AuditEvent.objects.exclude(pk=kept.pk).values()))
    assert verify_chain(case.chain)[1] is None
    call_command("audit_verify")  # raises CommandError on a break


def _raw_update(event_id: int, sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_auditevent SET {sql} WHERE id = %s", [*params, event_id])  # noqa: S608


def test_a_change_to_a_redacted_event_is_detected(purged):
    event = purged["case"]
    if connection.vendor == "postgresql":
        # The trigger refuses it outright: only the redaction itself may change a sealed event.
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _raw_update(event.pk, "actor_label = %s", ["someone else"])
        return
    _raw_update(event.pk, "actor_label = %s", ["someone else"])
    _checked, broken = verify_chain(event.chain)
    assert broken is not None and broken.event_id == event.pk
    assert "altered after its redaction" in broken.problem


def test_a_redaction_no_purge_vouches_for_is_detected(purged):
    kept, vouching_id = purged["kept"], purged["case"].redacted_by
    # An attacker empties another event's reason and points it at the purge's redaction (the
    # PostgreSQL trigger lets this shape of change through: verification catches it).
    _raw_update(kept.pk, "reason = '', redacted_by = %s", [vouching_id])
    _checked, broken = verify_chain(kept.chain)
    assert broken is not None and broken.event_id == kept.pk
    assert "altered after its redaction" in broken.problem
