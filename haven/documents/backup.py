"""The stored files in a backup (haven/ops/backup.py): copied as stored, encrypted, under
their storage names, and put back by the restore. The keys are never in a backup, for files
as for fields."""

from __future__ import annotations

from pathlib import Path

from django.core.files.base import ContentFile

from haven.core.scoping import all_agencies
from haven.documents.models import Document
from haven.documents.storage import FOLDER, blob_delete, blob_token, storage


def files_backup(out_dir: Path) -> tuple[list[Path], list[str]]:
    """Copy every document's stored file into out_dir (same relative name); return the files
    written and the storage names the database lists but storage no longer holds (a document
    deleted while the backup ran)."""
    written, missing = [], []
    with all_agencies():
        names = list(Document._base_manager.order_by("pk").values_list("blob", flat=True))
    for name in names:
        try:
            data = blob_token(name)
        except FileNotFoundError:
            missing.append(name)
            continue
        target = out_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written, missing


def is_document_file(name: str) -> bool:
    return name.startswith(f"{FOLDER}/")


def files_restore(source: Path, names: list[str]) -> int:
    """Put each backed-up file back in storage under its own name (replacing one there)."""
    store = storage()
    for name in names:
        blob_delete(name)
        saved = store.save(name, ContentFile((source / name).read_bytes()))
        if saved != name:  # the storage renamed it: the row would not find it
            blob_delete(saved)
            raise OSError(f"The storage saved {name} as {saved}.")
    return len(names)
