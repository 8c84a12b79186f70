"""Attaching a file: stored encrypted under a random name, type read from the content, and
every bad input refused with a clear message and nothing stored."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from haven.audit.models import AuditEvent
from haven.cases.models import CaseEvent
from haven.documents.models import Document
from haven.documents.services import document_upload
from haven.documents.storage import blob_read
from haven.documents.tests.helpers import PDF_BYTES, PNG_BYTES, docx_bytes, odt_bytes, pdf

pytestmark = pytest.mark.django_db


def stored_files(media) -> list[Path]:
    return [p for p in Path(media).rglob("*") if p.is_file()]


def upload(actor, case, file=None, **fields):
    file = file or pdf()
    fields.setdefault("kind", "protection_order")
    return document_upload(actor=actor, file=file, name=file.name, case=case, **fields)


def test_a_file_is_stored_encrypted_under_a_random_name_and_reads_back(alice, cast, media):
    document = upload(alice, cast.case_a, pdf("Dana Reyes order.pdf"))

    files = stored_files(media)
    assert len(files) == 1
    on_disk = files[0].read_bytes()
    assert PDF_BYTES not in on_disk and b"%PDF" not in on_disk
    assert "Reyes" not in str(files[0]) and "order" not in str(files[0])
    assert blob_read(document.blob) == PDF_BYTES
    row = Document.objects.get(pk=document.pk)
    assert row.name == "Dana Reyes order.pdf"
    assert (row.content_type, row.size) == ("application/pdf", len(PDF_BYTES))
    assert row.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    # The name is encrypted in the database too.
    raw = Document.objects.filter(pk=row.pk).values_list("name", flat=True)
    assert list(raw) == ["Dana Reyes order.pdf"]  # decrypted by the field...
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM documents_document WHERE id = %s", [row.pk])
        assert "Reyes" not in cursor.fetchone()[0]


def test_the_upload_writes_the_timeline_and_the_access_log(alice, cast, new_audit_events):
    document = upload(alice, cast.case_a)

    event = CaseEvent.objects.filter(case=cast.case_a, kind="document").get()
    assert event.data["summary"] == "Order of protection attached"
    (audit,) = new_audit_events(action="document.upload")
    assert audit.object_id == str(document.pk)
    assert audit.details["sha256"] == document.sha256
    assert "order.pdf" not in str(audit.details)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (PDF_BYTES, "application/pdf"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
        (PNG_BYTES, "image/png"),
        (b"II*\x00" + b"\x00" * 32, "image/tiff"),
        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 32, "image/heic"),
        (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (odt_bytes(), "application/vnd.oasis.opendocument.text"),
        (b"Dear Ms. Reyes,\nThe hearing moved.\n", "text/plain; charset=utf-8"),
    ],
)
def test_each_allowed_type_is_known_by_its_content_whatever_its_name(
    alice, cast, data, content_type
):
    document = upload(alice, cast.case_a, SimpleUploadedFile("scan.bin", data), kind="other")
    assert document.content_type == content_type


BAD = [
    (SimpleUploadedFile("a.pdf", b"MZ\x90\x00" + b"\x00" * 40), "is a Windows program"),
    (SimpleUploadedFile("page.pdf", b"<!DOCTYPE html><script>x</script>"), "web page"),
    (SimpleUploadedFile("pic.svg", b'<svg xmlns="x"><script/></svg>'), "web page"),
    (SimpleUploadedFile("a.zip", odt_bytes(b"application/zip")), "zip archive"),
    (SimpleUploadedFile("a.gif", b"GIF89a" + b"\x00" * 20), "GIF image"),
    (SimpleUploadedFile("empty.pdf", b""), "is empty (0 bytes)"),
]


@pytest.mark.parametrize(("file", "said"), BAD)
def test_a_forbidden_or_empty_file_is_refused_and_nothing_is_stored(alice, cast, media, file, said):
    audit_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        upload(alice, cast.case_a, file)
    assert said in " ".join(refused.value.messages)
    assert stored_files(media) == []
    assert not Document.objects.exists()
    assert AuditEvent.objects.count() == audit_before


def test_a_file_over_the_limit_is_refused_saying_its_size_and_the_limit(
    alice, cast, media, settings
):
    settings.DOCUMENT_MAX_BYTES = 25 * 1024 * 1024
    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * (31 * 1024 * 1024))

    with pytest.raises(ValidationError) as refused:
        upload(alice, cast.case_a, big)

    assert refused.value.message_dict["file"][0].startswith(
        "This file is 31 MB; the limit is 25 MB."
    )
    assert stored_files(media) == [] and not Document.objects.exists()


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "/etc/x.pdf", "a\\b.pdf", "x\x00.pdf", "..", "C:x.pdf", ""]
)
def test_a_name_that_tries_a_path_is_refused_and_nothing_is_stored(alice, cast, media, name):
    with pytest.raises(ValidationError) as refused:
        document_upload(actor=alice, file=pdf(), name=name, case=cast.case_a, kind="letter")
    assert "name" in refused.value.message_dict["file"][0]
    assert stored_files(media) == [] and not Document.objects.exists()


def test_a_photo_of_an_injury_needs_the_victims_consent(alice, cast, media):
    photo = SimpleUploadedFile("arm.png", PNG_BYTES)
    with pytest.raises(ValidationError) as refused:
        upload(alice, cast.case_a, photo, kind="injury_photo")
    assert "consent" in refused.value.message_dict["victim_consented"][0]
    assert stored_files(media) == []

    document = upload(alice, cast.case_a, photo, kind="injury_photo", victim_consented=True)
    assert document.victim_consented


def test_a_volunteer_may_attach_only_a_shareable_document(val, queue_case, media):
    with pytest.raises(ValidationError) as refused:
        upload(val, queue_case)
    assert "Volunteers" in refused.value.message_dict["visibility"][0]
    assert stored_files(media) == []
    assert upload(val, queue_case, visibility="shareable").visibility == "shareable"


def test_roles_without_case_work_and_other_agencies_are_refused(cast, charlie, media):
    for actor in (cast.actor("officer"), cast.actor("analyst"), cast.actor("auditor"), charlie):
        with pytest.raises(PermissionDenied):
            upload(actor, cast.case_a)
    assert stored_files(media) == []


def test_a_person_not_on_the_case_is_refused(alice, cast, queue_case, media):
    with pytest.raises(ValidationError) as refused:
        upload(alice, cast.case_a, person=queue_case.primary_victim)
    assert "not on this case" in refused.value.message_dict["person"][0]
    assert stored_files(media) == []


def test_a_document_about_a_person_outside_any_case(alice, cast, sister):
    document = document_upload(
        actor=alice, file=pdf("letter.pdf"), name="letter.pdf", person=sister, kind="letter"
    )
    assert document.case_id is None and document.person_id == sister.pk
    assert not CaseEvent.objects.filter(kind="document").exists()


def test_when_the_database_refuses_the_stored_file_is_removed(alice, cast, media, monkeypatch):
    from haven.documents import events

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(events, "document_added", broken)
    with pytest.raises(RuntimeError):
        upload(alice, cast.case_a)
    assert stored_files(media) == [] and not Document.objects.exists()
