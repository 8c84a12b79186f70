from haven.agencies.models import Agency
from haven.retention.models import (
    DestructionCertificate,
    LegalHold,
    PurgeBatch,
    RecordKind,
    RetentionSchedule,
)


def schedules_for(agency: Agency) -> list[tuple[str, str, RetentionSchedule | None]]:
    """Every kind of record with the agency's schedule for it (None: not set, never purged)."""
    found = {s.kind: s for s in RetentionSchedule.objects.filter(agency=agency)}
    return [(kind, label, found.get(kind)) for kind, label in RecordKind.choices]


def holds_in_force(agency: Agency):
    return LegalHold.objects.filter(agency=agency, released_at__isnull=True).select_related(
        "case", "placed_by__user"
    )


def batches_for(agency: Agency, *, limit: int = 50):
    return PurgeBatch.objects.filter(agency=agency).select_related("certificate")[:limit]


def certificates_for(agency: Agency):
    return DestructionCertificate.objects.filter(agency=agency)
