from django.utils import timezone

from haven.retention.models import (
    DestructionCertificate,
    LegalHold,
    PurgeBatch,
    RecordKind,
)


def other_agency_retention(cast) -> dict:
    """Agency B's hold, batch and certificate for the route walks."""
    b = cast.agency_b
    hold = LegalHold.objects.create(
        agency=b, case=cast.case_b, reason="B's subpoena (Lakeside)", placed_by=cast.other_advocate
    )
    batch = PurgeBatch.objects.create(
        agency=b,
        kind=RecordKind.CLOSED_CASE,
        proposed_by=cast.other_advocate,
        proposed_label="charlie",
        years=3,
        legal_basis="Lakeside schedule",
    )
    batch.items.create(
        agency=b,
        object_id=cast.case_b.pk,
        label=f"Case {cast.case_b.number}",
        trigger_date=timezone.localdate(),
    )
    done = PurgeBatch.objects.create(
        agency=b,
        kind=RecordKind.CLOSED_CASE,
        proposed_label="charlie",
        years=3,
        legal_basis="Lakeside schedule",
        status="done",
    )
    now = timezone.now()
    certificate = DestructionCertificate.objects.create(
        agency=b,
        batch=done,
        number="2026-0001",
        kind=RecordKind.CLOSED_CASE,
        count=1,
        years=3,
        legal_basis="Lakeside schedule",
        proposed_label="charlie",
        proposed_at=now,
        approved_label="Charlie Chen",
        approved_at=now,
        salt="b" * 32,
        sha256="b" * 64,
    )
    return {
        "hold_id": hold.pk,
        "batch_id": batch.pk,
        "certificate_id": certificate.pk,
    }
