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

Every outbound path must call this. A partner's link to a referral that includes documents
(haven/referrals/partner.py) reaches them by the link, not by a staff member's access, and calls
`document_release` to list and `document_share_reached` to hand one out: the same refusals, the
same gate, the same audit.
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
from haven.documents.models import Document, DocumentKind
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
    return document_share_reached(
        actor=actor,
        document=document,
        purpose=purpose,
        channel=channel,
        recipient_organization=recipient_organization,
        recipient_name=recipient_name,
    )


def document_release(
    *,
    actor: Actor,
    document: Document,
    purpose: str,
    channel: str,
    recipient_organization=None,
    recipient_name: str = "",
) -> ReleaseOfInformation:
    """The release in force that lets this document go to this recipient, or raise
    PermissionDenied (privileged, an injury photo without consent) or ConsentRefused (audited
    by the gate). Reads no bytes and writes no share: for listing what may be handed out."""
    if document.is_privileged:
        raise PermissionDenied(
            "This document is privileged to victim services: it is never shared outside "
            "Haven. If the victim wants it shared, attach a shareable copy."
        )
    if document.kind == DocumentKind.INJURY_PHOTO and not document.victim_consented:
        raise PermissionDenied("The victim's consent to keep this photo was not recorded.")
    return consent_require(
        actor=actor,
        disclosure=_disclosure(document, purpose, channel, recipient_organization, recipient_name),
    )


def document_share_reached(
    *,
    actor: Actor,
    document: Document,
    purpose: str,
    channel: str,
    recipient_organization=None,
    recipient_name: str = "",
) -> SharedDocument:
    """document_share for a caller that reached the document by its own right (a staff
    member's access, or a partner's live link to a referral the document was included in)."""
    release = document_release(
        actor=actor,
        document=document,
        purpose=purpose,
        channel=channel,
        recipient_organization=recipient_organization,
        recipient_name=recipient_name,
    )
    disclosure = _disclosure(document, purpose, channel, recipient_organization, recipient_name)
    data = blob_read(document.blob)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DOCUMENT_SHARE,
            obj=document,
            details={
                "case": document.case_id,
                "person": disclosure.person.pk,
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


def _disclosure(
    document: Document, purpose: str, channel: str, recipient_organization, recipient_name: str
) -> Disclosure:
    """The person is the document's, else the case's victim: whose release must cover it."""
    return Disclosure(
        person=document.person or document.case.primary_victim,
        recipient_organization=recipient_organization,
        recipient_name=recipient_name,
        purpose=purpose,
        categories=CATEGORIES,
        channel=channel,
        case=document.case,
    )
