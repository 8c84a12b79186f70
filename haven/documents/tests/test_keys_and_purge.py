"""Key rotation re-encrypts the stored files; purge_documents_for removes rows and files."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from haven.documents.models import Document
from haven.documents.services import document_upload, purge_documents_for
from haven.documents.storage import blob_read, blob_token
from haven.documents.tests.helpers import PDF_BYTES, pdf
from haven.lib.crypto import encrypted_with_primary

pytestmark = pytest.mark.django_db


def attach(actor, case, name="order.pdf", **fields):
    return document_upload(
        actor=actor, file=pdf(name), name=name, case=case, kind="letter", **fields
    )


def test_rotation_reencrypts_every_stored_file_under_the_new_key(alice, cast, media, settings):
    document = attach(alice, cast.case_a)
    old_blob = document.blob
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    assert not encrypted_with_primary(blob_token(old_blob))

    call_command("rotate_field_keys")

    document.refresh_from_db()
    assert document.blob != old_blob
    assert encrypted_with_primary(blob_token(document.blob))
    assert blob_read(document.blob) == PDF_BYTES
    assert not (media / old_blob).exists()
    # The old key can go now: the file and its name read with the new key alone.
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    assert blob_read(document.blob) == PDF_BYTES
    assert Document.objects.get(pk=document.pk).name == "order.pdf"
    call_command("rotate_field_keys", "--check")


def test_rotation_check_counts_a_stale_file(alice, cast, settings):
    attach(alice, cast.case_a)
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="still need an older key"):
        call_command("rotate_field_keys", "--check")


def test_purge_for_a_case_removes_rows_and_files_and_says_what(
    alice, cast, media, sister, django_capture_on_commit_callbacks
):
    one = attach(alice, cast.case_a, "a.pdf")
    two = attach(alice, cast.case_a, "b.pdf", person=sister)
    kept = document_upload(
        actor=alice, file=pdf("c.pdf"), name="c.pdf", person=sister, kind="other"
    )
    with django_capture_on_commit_callbacks(execute=True):
        purged = purge_documents_for(case=cast.case_a)

    assert purged == [("letter", one.sha256), ("letter", two.sha256)]
    assert list(Document.objects.values_list("pk", flat=True)) == [kept.pk]
    assert [p.name for p in media.rglob("*.bin")] == [kept.blob.rsplit("/", 1)[1]]


def test_purge_for_a_person_takes_their_documents_on_any_case(
    alice, cast, media, sister, django_capture_on_commit_callbacks
):
    attach(alice, cast.case_a, "about-her.pdf", person=sister)
    document_upload(actor=alice, file=pdf("c.pdf"), name="c.pdf", person=sister, kind="other")
    case_wide = attach(alice, cast.case_a, "case.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        purged = purge_documents_for(person=sister)
    assert len(purged) == 2
    assert list(Document.objects.values_list("pk", flat=True)) == [case_wide.pk]
    assert len(list(media.rglob("*.bin"))) == 1


def test_purge_takes_a_person_or_a_case(cast):
    with pytest.raises(ValueError):
        purge_documents_for()
