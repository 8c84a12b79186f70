import pytest
from django.db import connection

from haven.audit.models import AuditAction, AuditEvent
from haven.audit.tasks import verify_audit_log

pytestmark = pytest.mark.django_db


def test_the_nightly_check_finds_every_chain_intact_and_says_so(cast):
    results = verify_audit_log.call_local()
    assert results[str(cast.agency_a.pk)] == "intact"
    assert results[str(cast.agency_b.pk)] == "intact"
    event = AuditEvent.objects.filter(
        action=AuditAction.AUDIT_VERIFY, agency_id=cast.agency_a.pk
    ).get()
    assert event.actor_label == "nightly verification" and event.details["intact"] is True


def test_the_nightly_check_reports_a_tampered_chain(cast, caplog):
    victim = AuditEvent.objects.filter(agency_id=cast.agency_a.pk).order_by("seq")[1]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute("UPDATE audit_auditevent SET reason = 'edited' WHERE id = %s", [victim.pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
    results = verify_audit_log.call_local()
    assert "content altered" in results[str(cast.agency_a.pk)]
    assert results[str(cast.agency_b.pk)] == "intact"
    assert "Audit log broken" in caplog.text
