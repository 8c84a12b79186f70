"""Each receipt stored in clear under MEDIA_ROOT/receipts/ becomes a privileged document of
kind *receipt* on the request's case: encrypted with the field keys under a random name in
documents/<agency>/, with its size, SHA-256 and detected type, and the clear file is deleted
once the migration has committed (a rollback keeps it). A receipt whose file is missing is
dropped from the request, and counted in the migration's output.

Forward only: putting victims' bills back in clear is not offered.
"""

import hashlib
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import migrations, transaction

from haven.documents import content
from haven.lib.crypto import encrypt_bytes


def _read(store, name: str) -> bytes | None:
    if not store.exists(name):
        return None
    with store.open(name, "rb") as handle:
        return handle.read()


def receipts_into_documents(apps, schema_editor):
    EmergencyRequest = apps.get_model("funding", "EmergencyRequest")
    Document = apps.get_model("documents", "Document")
    store = storages["default"]
    moved = missing = 0
    requests = EmergencyRequest._base_manager.exclude(receipt="").exclude(receipt__isnull=True)
    for request in requests.order_by("pk").iterator():
        name = request.receipt.name
        data = _read(store, name)
        if data:
            found = content.detect(data) or content.type_of("")
            blob = store.save(
                f"documents/{request.agency_id}/{secrets.token_hex(16)}.bin",
                ContentFile(encrypt_bytes(data)),
            )
            request.receipt_document = Document._base_manager.create(
                agency_id=request.agency_id,
                case_id=request.case_id,
                kind="receipt",
                visibility="privileged",
                name=f"receipt-{request.pk}.{found.extension}",
                description=f"Emergency assistance request {request.pk}",
                content_type=found.content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                blob=blob,
                uploaded_by_id=request.requested_by_id,
                uploaded_at=request.requested_at,
            )
            moved += 1
        else:
            missing += 1
        request.receipt = ""
        request.save(update_fields=["receipt", "receipt_document"])
        transaction.on_commit(lambda name=name: store.delete(name) if store.exists(name) else None)
    if moved or missing:
        print(f"\n  Receipts encrypted into documents: {moved}; missing or empty files: {missing}.")


class Migration(migrations.Migration):
    dependencies = [("funding", "0003_receipt_document")]

    operations = [migrations.RunPython(receipts_into_documents, migrations.RunPython.noop)]
