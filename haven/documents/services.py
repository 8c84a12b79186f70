"""Attaching, deleting and purging documents. Every write checks permission and access,
validates, and writes its row, the case timeline line and the audit event in one transaction.

A refused file stores nothing: every check runs on the bytes in memory before anything is
written, and if the database then fails the stored file is removed again.
"""

from __future__ import annotations

import hashlib
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, NoteVisibility
from haven.cases.people_access import people_visible_to
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.core.scoping import all_agencies
from haven.documents import content, events
from haven.documents.models import Document, DocumentKind
from haven.documents.storage import blob_delete, blob_write
from haven.people.models import Person

DESCRIPTION_LIMIT = 500


def max_bytes() -> int:
    return settings.DOCUMENT_MAX_BYTES


def _read_within_limit(file: IO[bytes], limit: int) -> bytes:
    """The file's bytes, refusing one over the limit without reading past it."""
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise _too_large(size, limit)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise _too_large(size or len(data), limit)
    return data


def _too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        {
            "file": f"This file is {content.megabytes(size)}; the limit is "
            f"{content.megabytes(limit)}. Scan it at a lower resolution or split it, then "
            "upload it again."
        }
    )


def _person_on_case(case: Case, person: Person) -> bool:
    return (
        case.primary_victim_id == person.pk
        or case.related_people.filter(person_id=person.pk).exists()
    )


def _check_place(actor: Actor, case: Case | None, person: Person | None) -> None:
    if case is None and person is None:
        raise ValidationError(gettext("A document belongs to a case or a person."))
    if case is not None:
        actor.require_own(case)
        if not cases_visible_to(actor).filter(pk=case.pk).exists():
            raise PermissionDenied("That case is outside your caseload.")
    if person is not None:
        actor.require_own(person)
        if case is None and not people_visible_to(actor).filter(pk=person.pk).exists():
            raise PermissionDenied("That person is not on a case you can see.")
        if case is not None and not _person_on_case(case, person):
            raise ValidationError({"person": f"{person.full_name} is not on this case."})


# long: the refusals (permission, place, kind, consent, name, size, type) come first
def document_upload(
    *,
    actor: Actor,
    file: IO[bytes],
    name: str,
    kind: str,
    case: Case | None = None,
    person: Person | None = None,
    visibility: str = NoteVisibility.PRIVILEGED,
    description: str = "",
    victim_consented: bool = False,
) -> Document:
    """Attach a file to a case (about the case, or one person on it) or to a person.

    Refused: without case.work; a case outside the actor's caseload or another agency's; a
    person on no case the actor sees, or not on the given case; a privileged document by
    someone without case.privileged_notes (a volunteer); a photo of an injury without the
    victim's recorded consent; a name that tries a path; an empty file, one over
    HAVEN_DOCUMENT_MAX_BYTES, or one whose content is not an allowed type. Nothing is stored
    when refused.
    """
    actor.require(Perm.CASE_WORK)
    _check_place(actor, case, person)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": f"Unknown kind of document {kind!r}."})
    if visibility not in NoteVisibility.values:
        raise ValidationError({"visibility": f"Unknown visibility {visibility!r}."})
    if visibility == NoteVisibility.PRIVILEGED and not actor.has(Perm.NOTE_PRIVILEGED):
        raise ValidationError(
            {
                "visibility": gettext(
                    "Volunteers and interns may not attach privileged documents: "
                    "choose “Shareable with consent”, or ask a specialist to attach it."
                )
            }
        )
    if kind == DocumentKind.INJURY_PHOTO and not victim_consented:
        raise ValidationError(
            {
                "victim_consented": gettext(
                    "A photo of an injury is kept only with the victim's "
                    "consent: ask them, and tick the box when they agree."
                )
            }
        )
    description = (description or "").strip()
    if len(description) > DESCRIPTION_LIMIT:
        raise ValidationError(
            {"description": f"Keep the description to {DESCRIPTION_LIMIT} characters."}
        )
    name = content.check_name(name)
    data = _read_within_limit(file, max_bytes())
    if not data:
        raise ValidationError({"file": f"“{name}” is empty (0 bytes): nothing to keep."})
    found = content.detect(data)
    if found is None:
        raise ValidationError(
            {
                "file": f"“{name}” is {content.describe(data)}. Haven keeps "
                f"{content.ALLOWED_LABELS} files."
            }
        )
    agency = case.agency if case is not None else person.agency
    blob = blob_write(agency.pk, data)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                agency=agency,
                case=case,
                person=person,
                kind=kind,
                visibility=visibility,
                name=name,
                description=description,
                content_type=found.content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                blob=blob,
                victim_consented=bool(victim_consented),
                uploaded_by=actor.membership,
            )
            events.document_added(actor, document)
            audit_record(
                actor=actor,
                action=AuditAction.DOCUMENT_UPLOAD,
                obj=document,
                details={
                    "case": document.case_id,
                    "person": document.person_id,
                    "kind": kind,
                    "visibility": visibility,
                    "content_type": found.content_type,
                    "bytes": len(data),
                    "sha256": document.sha256,
                },
            )
    except BaseException:
        blob_delete(blob)
        raise
    return document


def document_delete(*, actor: Actor, document: Document, reason: str) -> None:
    """Delete a document and its stored file, with a reason (kept in the access log).

    Refused: without case.work; by anyone but the member who attached it unless they may
    assign cases (a supervisor or coordinator); without a reason. The file is removed from
    storage after the row's deletion commits.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(document)
    if document.uploaded_by_id != actor.membership.pk and not actor.has(Perm.CASE_ASSIGN):
        raise PermissionDenied(
            "Only the member who attached a document, or a supervisor, may delete it."
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why the document is deleted.")})
    if len(reason) > DESCRIPTION_LIMIT:
        raise ValidationError({"reason": f"Keep the reason to {DESCRIPTION_LIMIT} characters."})
    blob = document.blob
    with transaction.atomic():
        events.document_deleted(actor, document)
        audit_record(
            actor=actor,
            action=AuditAction.DOCUMENT_DELETE,
            obj=document,
            reason=reason,
            details={
                "case": document.case_id,
                "person": document.person_id,
                "kind": document.kind,
                "sha256": document.sha256,
            },
        )
        Document.objects.filter(pk=document.pk).delete()
        transaction.on_commit(lambda: blob_delete(blob))


def purge_documents_for(
    *, person: Person | None = None, case: Case | None = None
) -> list[tuple[str, str]]:
    """Delete every document of the person (those naming them, on a case or not) or of the
    case, rows and stored files; return (kind, sha256) of each, for the caller's record.

    For haven.retention: no actor and no audit row here (the caller writes the one that says
    why). The files go after the caller's transaction commits, so a rollback keeps them.
    """
    if (person is None) == (case is None):
        raise ValueError("purge_documents_for takes a person or a case, not both or neither.")
    with all_agencies():
        documents = Document._base_manager.filter(
            **({"person": person} if person is not None else {"case": case})
        )
        found = list(documents.order_by("pk").values_list("pk", "kind", "sha256", "blob"))
        with transaction.atomic():
            Document._base_manager.filter(pk__in=[row[0] for row in found]).delete()
            for *_facts, blob in found:
                transaction.on_commit(lambda blob=blob: blob_delete(blob))
    return [(kind, digest) for _pk, kind, digest, _blob in found]
