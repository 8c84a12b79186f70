"""A document leaves Haven only through the consent gate (haven/consent/documents.py)."""

import pytest
from django.core.exceptions import PermissionDenied

from haven.audit.models import AuditEvent
from haven.consent.documents import document_share
from haven.consent.gate import ConsentRefused
from haven.documents.services import document_upload
from haven.documents.tests.helpers import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def receipt(alice, cast):
    return document_upload(
        actor=alice,
        file=pdf("Reyes bus receipt.pdf"),
        name="Reyes bus receipt.pdf",
        case=cast.case_a,
        kind="receipt",
        visibility="shareable",
    )


def share(actor, document, shelter):
    return document_share(
        actor=actor,
        document_id=document.pk,
        purpose="referral",
        channel="referral",
        recipient_organization=shelter,
    )


def test_without_a_release_that_includes_documents_nothing_is_shared(
    alice, receipt, shelter, record
):
    record()  # identity and contact only
    with pytest.raises(ConsentRefused) as refused:
        share(alice, receipt, shelter)
    assert "does not include documents" in refused.value.reason
    assert AuditEvent.objects.filter(action="consent.refused").count() == 1
    assert not AuditEvent.objects.filter(action="document.share").exists()


def test_with_a_release_in_force_the_file_is_shared_and_audited(alice, receipt, shelter, record):
    release = record(categories=["identity", "documents"])
    shared = share(alice, receipt, shelter)
    assert shared.data == PDF_BYTES
    assert shared.filename == "Reyes_bus_receipt.pdf"
    assert shared.release == release
    event = AuditEvent.objects.get(action="document.share")
    assert event.details["release"] == release.pk
    assert event.details["recipient"] == "Safe Harbor Shelter"


def test_a_revoked_release_stops_the_share(alice, receipt, shelter, record):
    from haven.consent.services import release_revoke

    release = record(categories=["identity", "documents"])
    release_revoke(actor=alice, release=release, method="written", reason="Changed her mind")
    with pytest.raises(ConsentRefused, match="revoked"):
        share(alice, receipt, shelter)


def test_a_privileged_document_never_leaves_whatever_the_release(alice, cast, shelter, record):
    record(categories=["identity", "documents"])
    letter = document_upload(
        actor=alice, file=pdf(), name="order.pdf", case=cast.case_a, kind="letter"
    )
    with pytest.raises(PermissionDenied, match="privileged"):
        share(alice, letter, shelter)


def test_another_agency_cannot_share_it(charlie, receipt, shelter):
    from django.http import Http404

    with pytest.raises(Http404):
        share(charlie, receipt, shelter)
