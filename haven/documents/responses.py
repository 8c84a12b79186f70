"""A document's file as an HTTP answer: decrypted, as an attachment under a safe name with
the extension of what it really is, never cached, never sniffed. For the documents pages and
for apps that serve a document of their own (an emergency-assistance receipt): the caller
has reached the document through access_document, which audited the download."""

from django.http import HttpResponse

from haven.documents import content
from haven.documents.models import Document
from haven.documents.storage import blob_read


def download_response(document: Document) -> HttpResponse:
    found = content.type_of(document.content_type)
    response = HttpResponse(blob_read(document.blob), content_type=document.content_type)
    name = content.download_name(document.name, found)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
