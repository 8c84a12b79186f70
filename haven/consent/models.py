"""Releases of information: a victim's written, informed, time-limited consent to share named
data with a named recipient for a named purpose, and the agency's consent settings.

Why these rules exist, and where they come from, is in docs/consent.md (28 CFR 94.115,
34 U.S.C. 12291(b)(2)). Every disclosure of a person's identifying data passes the gate in
haven/consent/gate.py, which looks for a release here that covers it.
"""

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.core.versions import Versioned
from haven.lib.crypto import EncryptedTextField


class Purpose(models.TextChoices):
    REFERRAL = "referral", _("Referral to the recipient's services")
    SERVICE_COORDINATION = "service_coordination", _("Coordinating services with the recipient")
    LEGAL_ADVOCACY = "legal_advocacy", _("Legal advocacy")
    COMPENSATION_CLAIM = "compensation_claim", _("A crime victims' compensation claim")
    COURT_NOTIFICATION = "court_notification", _("Court and case notifications")


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("Identity (name, date of birth)")
    CONTACT = "contact", _("Contact (phone, email)")
    LOCATION = "location", _("Location (address, shelter)")
    CASE_FACTS = "case_facts", _("Case facts (victimization, incident, dates)")
    SERVICE_NEEDS = "service_needs", _("Service needs")
    SAFETY_PLAN = "safety_plan", _("Safety plan")
    NOTES = "notes", _("Shareable case notes")
    # Files attached to the case or the person (haven.documents): each one shared is named in
    # the access log; privileged documents never leave Haven, whatever a release says.
    DOCUMENTS = "documents", _("Documents (scans, letters, photos)")


class ConsentMethod(models.TextChoices):
    # Signed on the agency's paper form; the original is kept in the file.
    PAPER = "paper", _("Signed on paper (kept in the file)")
    # Signed in Haven: the signer typed their full name; the moment and the device's IP are kept.
    ESIGNATURE = "esignature", _("Electronic signature in Haven")


class SignerRelation(models.TextChoices):
    SELF = "self", _("The person themself")
    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Legal guardian")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Court-appointed legal representative")


class RevocationMethod(models.TextChoices):
    WRITTEN = "written", _("In writing")
    VERBAL = "verbal", _("Told the specialist (spoken)")
    ELECTRONIC = "electronic", _("By email or message")


class ReleaseState(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


# Bounds an agency may choose its settings within (see ConsentSettings).
MIN_DAYS = 1
MAX_DAYS_CEILING = 365 * 2
DEFAULT_DAYS = 90
DEFAULT_MAX_DAYS = 365
DEFAULT_EXPIRING_WINDOW = 14
DEFAULT_MINOR_ASSENT_AGE = 12
SMALL_CELL_DEFAULT = 5


class ConsentSettings(TenantModel, Versioned):
    """The agency's release-of-information settings; one row per agency, made when first saved.
    An agency with no row uses the defaults above (consent.selectors.settings_for)."""

    # The term the form proposes for a new release, in days.
    default_days = models.PositiveSmallIntegerField(default=DEFAULT_DAYS)
    # The longest term a release may have, in days (never more than MAX_DAYS_CEILING).
    max_days = models.PositiveSmallIntegerField(default=DEFAULT_MAX_DAYS)
    # From this age a minor's own agreement is recorded alongside the parent's or guardian's
    # signature (Illinois practice for older minors); empty: never asked.
    minor_assent_age = models.PositiveSmallIntegerField(
        null=True, blank=True, default=DEFAULT_MINOR_ASSENT_AGE
    )
    # "Expiring soon" lists and counts look this many days ahead.
    expiring_window_days = models.PositiveSmallIntegerField(default=DEFAULT_EXPIRING_WINDOW)
    updated_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="consent_settings_one_per_agency")
        ]
        verbose_name_plural = "consent settings"


class ReleaseOfInformation(TenantModel):
    """One release: who it is about, who may receive what, why, until when, signed how.

    Never deleted and never edited after it is recorded: a change is a new release, and a
    revocation sets `revoked_at` (effective at once).
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The recipient: a partner in the directory, or a named recipient outside it.
    recipient_organization = models.ForeignKey(
        "partners.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Exactly as written on the release; a disclosure to a named recipient must match it.
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_description = EncryptedTextField(blank=True)
    # Purpose and DataCategory values the release allows.
    purposes = models.JSONField(default=list)
    categories = models.JSONField(default=list)
    method = models.CharField(max_length=12, choices=ConsentMethod.choices)
    # Electronic signature: the full name the signer typed, when, from which device address.
    esign_typed_name = EncryptedTextField(blank=True)
    esign_at = models.DateTimeField(null=True, blank=True)
    esign_ip = models.GenericIPAddressField(null=True, blank=True)
    signer_relation = models.CharField(
        max_length=24, choices=SignerRelation.choices, default=SignerRelation.SELF
    )
    # The parent's, guardian's or representative's name ("" when the person signed).
    signer_name = EncryptedTextField(blank=True)
    # A minor's own agreement, recorded when the agency asks for it (ConsentSettings).
    minor_assent = models.BooleanField(null=True, blank=True)
    # A minor recorded as emancipated signs alone.
    minor_emancipated = models.BooleanField(default=False)
    # The specialist confirmed the signer is not the alleged offender.
    signer_not_offender_confirmed = models.BooleanField(default=False)
    # The specialist confirmed the person was told what, to whom, why, for how long, and that
    # services never depend on signing.
    informed_confirmed = models.BooleanField(default=False)
    signed_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_method = models.CharField(
        max_length=12, choices=RevocationMethod.choices, blank=True
    )
    revocation_reason = EncryptedTextField(blank=True)
    notes = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-signed_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "person", "expires_at"]),
            models.Index(fields=["agency", "expires_at"]),
        ]
        verbose_name = "release of information"
        verbose_name_plural = "releases of information"

    def __str__(self) -> str:
        return f"Release {self.pk} to {self.recipient_label}"

    @property
    def recipient_label(self) -> str:
        if self.recipient_organization_id:
            return self.recipient_organization.name
        return self.recipient_name

    def state(self, at: datetime | None = None) -> str:
        at = at or timezone.now()
        if self.revoked_at is not None and self.revoked_at <= at:
            return ReleaseState.REVOKED
        if self.expires_at <= at:
            return ReleaseState.EXPIRED
        return ReleaseState.IN_FORCE

    def is_in_force(self, at: datetime | None = None) -> bool:
        return self.state(at) == ReleaseState.IN_FORCE

    def days_left(self, at: datetime | None = None) -> int:
        at = at or timezone.now()
        return max(0, (self.expires_at - at).days)

    def purpose_labels(self) -> list[str]:
        return [Purpose(p).label for p in self.purposes if p in Purpose.values]

    def category_labels(self) -> list[str]:
        return [DataCategory(c).label for c in self.categories if c in DataCategory.values]
