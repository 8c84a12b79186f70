"""The encrypted bytes of documents in Django's default storage (STORAGES["default"]: the
local disk under MEDIA_ROOT, or an S3-compatible bucket through django-storages).

A stored file is a Fernet token of the whole file under the field keys (haven.lib.crypto), kept
under a random name in `documents/<agency id>/`. Nothing in storage says whose it is or what it
was called: that is in the database, encrypted.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.management.base import CommandError

from haven.core.scoping import all_agencies
from haven.documents.models import Document
from haven.lib.crypto import decrypt_bytes, encrypt_bytes, encrypted_with_primary, reencrypt_bytes

FOLDER = "documents"


def storage() -> Storage:
    return storages["default"]


def _new_name(agency_id: int) -> str:
    return f"{FOLDER}/{agency_id}/{secrets.token_hex(16)}.bin"


def blob_write(agency_id: int, plaintext: bytes) -> str:
    """Encrypt and store; return the storage name (random; the storage may change it further
    only to avoid a clash, which 128 random bits make theoretical)."""
    return storage().save(_new_name(agency_id), ContentFile(encrypt_bytes(plaintext)))


def blob_token(name: str) -> bytes:
    """The stored bytes as they are (encrypted)."""
    with storage().open(name, "rb") as handle:
        return handle.read()


def blob_read(name: str) -> bytes:
    return decrypt_bytes(blob_token(name))


def blob_delete(name: str) -> None:
    store = storage()
    if store.exists(name):
        store.delete(name)


def rotate_documents(*, write: bool = True, batch_size: int = 1000) -> tuple[int, int]:
    """Re-encrypt every stored file the primary key does not read; return (files seen, files
    needing a new key). Each is written anew under a new random name, the row moved to it by a
    conditional update (a document deleted meanwhile keeps nothing), then the old file removed:
    an interrupted run leaves at worst an unreferenced file, never a row without its file."""
    seen = stale = 0
    last_pk = 0
    while True:
        with all_agencies():
            batch = list(
                Document._base_manager.filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", "agency_id", "blob")[:batch_size]
            )
        for pk, agency_id, name in batch:
            seen += 1
            token = blob_token(name)
            if encrypted_with_primary(token):
                continue
            stale += 1
            if not write:
                continue
            try:
                fresh = reencrypt_bytes(token)
            except ImproperlyConfigured:
                raise CommandError(
                    f"The stored file of document {pk} cannot be read with any key in "
                    "HAVEN_FIELD_KEYS: put back the key it was written with."
                ) from None
            new_name = storage().save(_new_name(agency_id), ContentFile(fresh))
            with all_agencies():
                moved = Document._base_manager.filter(pk=pk, blob=name).update(blob=new_name)
            blob_delete(name if moved else new_name)
        if len(batch) < batch_size:
            return seen, stale
        last_pk = batch[-1][0]
