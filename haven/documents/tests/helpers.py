"""Files to upload, and agency B's document for the route walks (haven/core/tests)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from haven.documents.models import Document

PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name="order.pdf", data=PDF_BYTES):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes(mimetype=b"application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def other_agency_documents(cast) -> dict:
    """document_id of agency B (its name carries "Lakeside" so a leak shows). No file is
    stored: nothing of A's may ever reach it."""
    document = Document.objects.create(
        agency=cast.agency_b,
        case=cast.case_b,
        kind="letter",
        name="Erin Lakeside letter.pdf",
        content_type="application/pdf",
        size=10,
        sha256="b" * 64,
        blob="documents/b/never-stored.bin",
        uploaded_by=cast.other_advocate,
    )
    return {"document_id": document.pk}
