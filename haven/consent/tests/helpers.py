"""Agency B's consent rows for haven/core/tests/test_tenant_isolation.py's route walk."""

from datetime import timedelta

from django.utils import timezone

from haven.consent.models import ReleaseOfInformation


def other_agency_release(cast) -> dict:
    now = timezone.now()
    release = ReleaseOfInformation.objects.create(
        agency=cast.agency_b,
        person=cast.case_b.primary_victim,
        case=cast.case_b,
        recipient_name="Lakeside County Prosecutor",
        purposes=["court_notification"],
        categories=["identity", "contact"],
        method="paper",
        informed_confirmed=True,
        signed_at=now,
        expires_at=now + timedelta(days=30),
        notes="B's release note",
    )
    return {"release_id": release.pk}
