"""The documents pages: the panel, the upload form, a document's page and its download, each
read audited and each answer no-store; volunteers never reach a privileged document."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haven.documents.models import Document
from haven.documents.services import document_upload
from haven.documents.tests.helpers import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(alice, cast):
    return document_upload(
        actor=alice,
        file=pdf("Dana Reyes order.pdf"),
        name="Dana Reyes order.pdf",
        case=cast.case_a,
        kind="protection_order",
    )


def test_the_case_documents_panel_lists_them_with_a_link_to_attach_one(client_as, cast, order):
    page = client_as("advocate").get(f"/cases/{cast.case_a.pk}/panels/documents/")
    body = page.content.decode()
    assert "Dana Reyes order.pdf" in body
    assert f"/documents/{order.pk}/download/" in body
    assert f"/cases/{cast.case_a.pk}/documents/new/" in body


def test_uploading_through_the_form_attaches_the_file(client_as, cast, media):
    client = client_as("advocate")
    response = client.post(
        f"/cases/{cast.case_a.pk}/documents/new/",
        {"file": pdf("receipt.pdf"), "kind": "receipt", "visibility": "shareable"},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.kind, document.visibility, document.name) == (
        "receipt",
        "shareable",
        "receipt.pdf",
    )
    # Back to the case page with the documents panel open: the new file is in sight.
    assert response["Location"] == f"/cases/{cast.case_a.pk}/?panel=documents#documents"
    page = client.get(response["Location"]).content.decode()
    assert '<section id="documents"' in page and "receipt.pdf" in page
    panel = client.get(f"/cases/{cast.case_a.pk}/panels/documents/", headers={"HX-Request": "1"})
    assert "receipt.pdf" in panel.content.decode()


def test_a_refused_file_shows_the_form_again_with_the_reason(client_as, cast, media):
    response = client_as("advocate").post(
        f"/cases/{cast.case_a.pk}/documents/new/",
        {"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00"), "kind": "other"},
    )
    assert response.status_code == 400
    assert "is a Windows program" in response.content.decode()
    assert not Document.objects.exists()
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_a_path_in_the_browsers_name_never_reaches_storage(client_as, cast, media):
    """Django's parser keeps the last part of the name; the stored name is random anyway."""
    client_as("advocate").post(
        f"/cases/{cast.case_a.pk}/documents/new/",
        {"file": pdf("../../etc/order.pdf"), "kind": "letter"},
    )
    document = Document.objects.get()
    assert document.name == "order.pdf"
    assert "etc" not in document.blob and document.blob.startswith("documents/")


def test_the_download_is_the_file_under_a_safe_name_audited_and_no_store(
    client_as, cast, order, new_audit_events
):
    response = client_as("advocate").get(f"/documents/{order.pk}/download/")
    assert response.status_code == 200
    assert response.content == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Dana_Reyes_order.pdf"'
    assert "no-store" in response["Cache-Control"]
    (event,) = new_audit_events(action="document.download")
    assert event.object_id == str(order.pk) and event.details["case"] == cast.case_a.pk


def test_the_documents_page_is_audited_and_no_store(client_as, cast, order, new_audit_events):
    response = client_as("supervisor").get(f"/documents/{order.pk}/")
    assert response.status_code == 200
    assert "Order of protection" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert len(new_audit_events(action="document.view")) == 1


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_roles_without_the_case_record_are_refused(client_as, order, role):
    client = client_as(role)
    for path in (f"/documents/{order.pk}/", f"/documents/{order.pk}/download/"):
        assert client.get(path).status_code in (403, 404)


def test_another_agency_gets_404(client_as, order):
    client = client_as("other_advocate")
    assert client.get(f"/documents/{order.pk}/download/").status_code == 404
    assert client.get(f"/documents/{order.pk}/").status_code == 404


def test_a_volunteer_never_sees_a_privileged_document_but_sees_a_shareable_one(
    client, volunteer, queue_case, sam
):
    privileged = document_upload(
        actor=sam, file=pdf("private.pdf"), name="private.pdf", case=queue_case, kind="letter"
    )
    shareable = document_upload(
        actor=sam,
        file=pdf("bus.pdf"),
        name="bus.pdf",
        case=queue_case,
        kind="receipt",
        visibility="shareable",
    )
    client.force_login(volunteer.user)
    page = client.get(f"/cases/{queue_case.pk}/panels/documents/").content.decode()
    assert "bus.pdf" in page and "private.pdf" not in page
    assert "1 privileged document is kept for victim services staff." in page
    assert client.get(f"/documents/{privileged.pk}/download/").status_code == 404
    assert client.get(f"/documents/{privileged.pk}/").status_code == 404
    assert client.get(f"/documents/{shareable.pk}/download/").status_code == 200


def test_deleting_needs_a_reason_removes_the_file_and_is_audited(
    client_as, cast, order, media, new_audit_events, django_capture_on_commit_callbacks
):
    client = client_as("advocate")
    client.post(f"/documents/{order.pk}/delete/", {"reason": ""})
    assert Document.objects.filter(pk=order.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/documents/{order.pk}/delete/", {"reason": "Wrong case"})
    assert response.status_code == 302
    assert not Document.objects.filter(pk=order.pk).exists()
    assert not [p for p in media.rglob("*") if p.is_file()]
    (event,) = new_audit_events(action="document.delete")
    assert event.reason == "Wrong case"


def test_only_the_uploader_or_a_supervisor_deletes(client_as, order):
    response = client_as("advocate2").post(f"/documents/{order.pk}/delete/", {"reason": "x"})
    assert response.status_code in (302, 403)
    assert Document.objects.filter(pk=order.pk).exists()
    client_as("supervisor").post(f"/documents/{order.pk}/delete/", {"reason": "Duplicate"})
    assert not Document.objects.filter(pk=order.pk).exists()


def test_the_person_page_lists_their_documents_and_attaches_one(client_as, cast, sister, media):
    client = client_as("advocate")
    response = client.post(
        f"/people/{sister.pk}/documents/new/", {"file": pdf("lease.pdf"), "kind": "other"}
    )
    assert response.status_code == 302
    page = client.get(f"/people/{sister.pk}/").content.decode()
    assert "lease.pdf" in page
