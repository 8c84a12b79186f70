"""What the partner sees behind their link, and their answers through it.

Nobody is signed in: the view enters the agency's scope itself, and the link is found by the
digest of its token within that agency only (another agency's token finds nothing). Every
opening and every answer asks the consent gate again: a release revoked or expired since the
link was sent shows nothing identifying from that moment on. Every visit is audited as
"partner via link" with the caller's address, refused ones included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from haven.audit.models import AuditAction, AuditEvent
from haven.audit.services import audit_record
from haven.cases.models import Note, NoteVisibility
from haven.consent.documents import SharedDocument, document_release, document_share_reached
from haven.consent.gate import ConsentRefused, consent_require
from haven.core.actor import Actor
from haven.lib.tokens import token_digest
from haven.partners import needs
from haven.people.models import ContactKind, ContactPoint
from haven.referrals.models import PARTNER_LABEL, WITH_PARTNER, ReferralLink
from haven.referrals.services import CASE_WIDE, disclosure_for, referral_partner_answer

# The partner's page says why in its own words (partner_words.py: "no_consent", "refused"):
# the gate's own reason names the person, so it goes to the access log only.
NOTES_SHOWN = 20
# Guessing: after this many refused tokens from one address within the window, that address
# gets "too many tries" without a look-up. Counted in the access log, so it holds across
# servers; the tokens are unguessable anyway, this keeps the log from being flooded.
GUESS_LIMIT = 20
GUESS_WINDOW = timedelta(minutes=10)


@dataclass
class PartnerPage:
    """What the partner's page may show. `state`: "open" (details shown), "no_consent",
    "ended" (the referral is over; nothing to do)."""

    link: ReferralLink
    state: str
    shown: list[str] = field(default_factory=list)
    person: object = None
    contacts: list = field(default_factory=list)
    addresses: list = field(default_factory=list)
    victimizations: list[str] = field(default_factory=list)
    notes: list = field(default_factory=list)
    need: str = ""
    # The referral's documents the person's release lets this partner have, and how many of
    # those included it does not.
    documents: list = field(default_factory=list)
    documents_withheld: int = 0

    @property
    def referral(self):
        return self.link.referral


def _audit(actor: Actor, action, *, referral=None, details: dict) -> None:
    audit_record(
        actor=None,
        agency_id=actor.agency.pk,
        actor_label=PARTNER_LABEL,
        ip=actor.ip,
        action=action,
        obj=referral,
        object_type="referrals.referral",
        details=details,
    )


def too_many_guesses(actor: Actor) -> bool:
    """Whether the caller's address had GUESS_LIMIT tokens refused in the last GUESS_WINDOW."""
    if not actor.ip:
        return False
    recent = AuditEvent.objects.filter(
        agency_id=actor.agency.pk,
        action=AuditAction.PARTNER_REFERRAL_REFUSED,
        ip=actor.ip,
        at__gte=timezone.now() - GUESS_WINDOW,
    )
    return recent.count() >= GUESS_LIMIT


def partner_link(*, actor: Actor, token: str) -> ReferralLink | None:
    """The live link with this token in the actor's agency, or None (audited as refused: an
    unknown, expired or revoked token). The caller is inside the agency's scope."""
    link = (
        ReferralLink.objects.filter(agency=actor.agency, digest=token_digest(token or ""))
        .select_related(
            "referral__case__agency",
            "referral__person",
            "referral__service",
            "referral__organization",
            "referral__created_by__user",
        )
        .first()
    )
    if link is not None and link.is_live():
        return link
    if link is None:
        why = "unknown"
    elif link.revoked_at is not None:
        why = "revoked"
    else:
        why = "expired"
    _audit(
        actor,
        AuditAction.PARTNER_REFERRAL_REFUSED,
        referral=link.referral if link else None,
        details={"why": why, "link": link.pk if link else None},
    )
    return None


# long: the partner's one page: token check, release scope, then what the release lets it see
def partner_page(*, actor: Actor, link: ReferralLink) -> PartnerPage:
    """The page for a live link: the categories the referral shares, only while a release in
    force covers every one of them (asked now, at every view); nothing identifying otherwise."""
    referral = link.referral
    if referral.status not in WITH_PARTNER:
        _audit(
            actor,
            AuditAction.PARTNER_REFERRAL_VIEW,
            referral=referral,
            details={"link": link.pk, "shown": [], "status": referral.status},
        )
        return PartnerPage(link=link, state="ended")
    try:
        release = consent_require(actor=actor, disclosure=disclosure_for(referral, "partner_link"))
    except ConsentRefused:
        _audit(
            actor,
            AuditAction.PARTNER_REFERRAL_VIEW,
            referral=referral,
            details={"link": link.pk, "shown": [], "consent": False},
        )
        return PartnerPage(link=link, state="no_consent")
    shown = [c for c in referral.categories if c in release.categories]
    page = PartnerPage(link=link, state="open", shown=shown)
    person = referral.person
    if "identity" in shown:
        page.person = person
    if "contact" in shown or "location" in shown:
        points = list(
            ContactPoint.objects.filter(
                agency=actor.agency, person=person, ok_to_contact=True
            ).order_by("-is_primary", "id")
        )
        if "contact" in shown:
            page.contacts = [p for p in points if p.kind in (ContactKind.PHONE, ContactKind.EMAIL)]
        if "location" in shown:
            page.addresses = [p for p in points if p.kind == ContactKind.ADDRESS]
    if referral.person_id != referral.case.primary_victim_id:
        # Notes and case facts are the primary victim's, which this release cannot cover.
        shown = [c for c in shown if c not in CASE_WIDE]
        page.shown = shown
    if "case_facts" in shown:
        page.victimizations = [
            v.get_code_display() for v in referral.case.victimizations.order_by("code")
        ]
    if "service_needs" in shown:
        page.need = needs.label(referral.need)
    if "notes" in shown:
        page.notes = list(
            Note.objects.filter(
                agency=actor.agency, case=referral.case, visibility=NoteVisibility.SHAREABLE
            ).order_by("-created_at")[:NOTES_SHOWN]
        )
    included = list(referral.documents.order_by("uploaded_at", "pk"))
    for document in included:
        if _document_release(actor, referral, document) is not None:
            page.documents.append(document)
    page.documents_withheld = len(included) - len(page.documents)
    ReferralLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    _audit(
        actor,
        AuditAction.PARTNER_REFERRAL_VIEW,
        referral=referral,
        details={
            "link": link.pk,
            "shown": shown,
            "release": release.pk,
            "consent": True,
            "documents": [d.pk for d in page.documents],
        },
    )
    return page


def _document_release(actor: Actor, referral, document):
    """The release that lets the partner have this document, or None (the gate audits a
    refusal)."""
    try:
        return document_release(
            actor=actor,
            document=document,
            purpose="referral",
            channel="partner_link",
            recipient_organization=referral.organization,
        )
    except PermissionDenied:  # ConsentRefused is one
        return None


def partner_document(*, actor: Actor, link: ReferralLink, document_id: int) -> SharedDocument:
    """One document of the referral for the partner, through the consent gate (audited as
    document.share, or the gate's refusal). Raises Http404 for a document the referral does not
    include or a referral that has ended, PermissionDenied when the release does not
    cover it."""
    referral = link.referral
    document = referral.documents.filter(pk=document_id).first()
    if referral.status not in WITH_PARTNER or document is None:
        raise Http404("No such document.")
    try:
        return document_share_reached(
            actor=actor,
            document=document,
            purpose="referral",
            channel="partner_link",
            recipient_organization=referral.organization,
        )
    except PermissionDenied:
        raise PermissionDenied("The release does not cover this document.") from None


def partner_answer(*, actor: Actor, link: ReferralLink, status: str, note: str = "") -> bool:
    """The partner's answer through a live link. Asks the gate first: without a release in
    force the answer is refused (returns False; the gate audits it) and the page shows nothing.
    Raises ValidationError for a step that does not follow (see referral_partner_answer)."""
    referral = link.referral
    if referral.status not in WITH_PARTNER:
        raise ValidationError("This referral has ended.")
    try:
        consent_require(actor=actor, disclosure=disclosure_for(referral, "partner_link"))
    except ConsentRefused:
        return False
    referral_partner_answer(actor=actor, link=link, status=status, note=note)
    return True
