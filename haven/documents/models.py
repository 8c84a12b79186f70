"""Files attached to a case or a person: scanned releases, orders of protection, receipts,
letters, photos of injuries. The bytes live in Django's default storage (the local disk under
MEDIA_ROOT, or an S3-compatible store: docs/operations.md), encrypted with the field keys and
stored under a random name; the row holds what the file is and who put it there."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.cases.models import NoteVisibility
from haven.core.models import TenantModel
from haven.lib.crypto import EncryptedTextField


class DocumentKind(models.TextChoices):
    # The signed release itself (the consent app's record of it says what it covers).
    RELEASE = "release", _("Release of information (signed)")
    PROTECTION_ORDER = "protection_order", _("Order of protection")
    # For compensation and emergency assistance: what was paid.
    RECEIPT = "receipt", _("Receipt or bill")
    LETTER = "letter", _("Letter")
    # Kept only when the victim agreed to it; the upload records that they did.
    INJURY_PHOTO = "injury_photo", _("Photo of an injury")
    OTHER = "other", _("Other")


class Document(TenantModel):
    """One stored file. Never edited: a wrong file is deleted (with a reason) and uploaded
    again. Written only by haven.documents.services; key rotation rewrites `blob` through a
    conditional update."""

    # On a case (seen through the case), or about a person outside any case (seen through the
    # person's cases); at least one.
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    # Like a note: privileged documents are never a volunteer's and never leave Haven.
    visibility = models.CharField(
        max_length=12, choices=NoteVisibility.choices, default=NoteVisibility.PRIVILEGED
    )
    # The name it was uploaded under ("Dana Reyes order.pdf" names the victim): encrypted.
    name = EncryptedTextField()
    description = EncryptedTextField(blank=True)
    # What the content is (haven.documents.content), never what the uploader said.
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()  # bytes of the file itself, before encryption
    # SHA-256 of the file itself: the retention log says which file was destroyed by it.
    sha256 = models.CharField(max_length=64)
    # The storage name of the encrypted bytes: random, never the uploaded name.
    blob = models.CharField(max_length=200, unique=True)
    # For a photo of an injury: the victim agreed that it be kept (asked at upload).
    victim_consented = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(person__isnull=False),
                name="document_on_a_case_or_a_person",
            )
        ]
        indexes = [models.Index(fields=["agency", "person"])]

    def __str__(self) -> str:
        return f"Document {self.pk} ({self.kind})"

    @property
    def is_privileged(self) -> bool:
        return self.visibility == NoteVisibility.PRIVILEGED
