"""Sharing a document outside Haven: only through the consent gate.

    shared = document_share(actor=..., document=..., recipient_organization=shelter,
                            purpose="service_coordination", channel="referral")
    shared.data, shared.filename, shared.content_type, shared.release

The one way a document's bytes leave Haven for a partner or anyone else. Refused: a document
the actor may not read (404, as everywhere), a privileged one (privileged to victim services,
like a privileged note, whatever a release says), a photo of an injury without the victim's
recorded consent, and any disclosure no release in force covers: the release must be the
person's (the document's person, else the case's victim), name the recipient and the purpose,
and include identity and documents (a document names its person). Each refusal is audited by
the gate; each share writes DOCUMENT_SHARE naming the release it rests on.

Every outbound path must call this. None ships a document yet: attaching documents to a
partner referral's link is left to do (docs/documents.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.consent.gate import Disclosure, consent_require
from haven.consent.models import DataCategory, ReleaseOfInformation
from haven.core.actor import Actor
from haven.documents import content
from haven.documents.access import access_document
from haven.documents.models import DocumentKind
from haven.documents.storage import blob_read

CATEGORIES = frozenset({DataCategory.IDENTITY, DataCategory.DOCUMENTS})


@dataclass(frozen=True)
class SharedDocument:
    data: bytes
    filename: str
    content_type: str
    release: ReleaseOfInformation


def document_share(
    *,
    actor: Actor,
    document_id: int,
    purpose: str,
    channel: str,
    recipient_organization=None,
    recipient_name: str = "",
) -> SharedDocument:
    """The document's bytes for one recipient, after the consent gate allowed it (see the
    module's docstring for what is refused)."""
    document = access_document(actor, document_id, write=True)
    if document.is_privileged:
        raise PermissionDenied(
            "This document is privileged to victim services: it is never shared outside "
            "Haven. If the victim wants it shared, attach a shareable copy."
        )
    if document.kind == DocumentKind.INJURY_PHOTO and not document.victim_consented:
        raise PermissionDenied("The victim's consent to keep this photo was not recorded.")
    person = document.person or document.case.primary_victim
    disclosure = Disclosure(
        person=person,
        recipient_organization=recipient_organization,
        recipient_name=recipient_name,
        purpose=purpose,
        categories=CATEGORIES,
        channel=channel,
        case=document.case,
    )
    release = consent_require(actor=actor, disclosure=disclosure)  # audits its refusal
    data = blob_read(document.blob)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DOCUMENT_SHARE,
            obj=document,
            details={
                "case": document.case_id,
                "person": person.pk,
                "recipient": disclosure.recipient_label,
                "purpose": purpose,
                "channel": channel,
                "release": release.pk,
                "sha256": document.sha256,
            },
        )
    kind = content.type_of(document.content_type)
    return SharedDocument(
        data=data,
        filename=content.download_name(document.name, kind),
        content_type=document.content_type,
        release=release,
    )
