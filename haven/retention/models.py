"""Retention: the agency's schedules, legal holds, purge batches and certificates of destruction
(docs/retention.md).

Nothing here holds personal data: a batch's items name a record by its kind and id (and a
case by its number), and a certificate holds counts, dates, who proposed and approved, and
salted digests of what was destroyed.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel


class RecordKind(models.TextChoices):
    # A case closed for good (status closed): the trigger is the day it closed.
    CLOSED_CASE = "closed_case", _("Closed case")
    # A case ended because the victim declined services or could not be reached.
    DECLINED_CASE = "declined_case", _("Declined or unreached case")
    # A person Haven knows of (from a police report, a match) with no case at all: the
    # trigger is the day the person was added.
    UNSERVED_PERSON = "unserved_person", _("Person with no case")
    # An anonymous hotline or walk-in contact (counts only): the trigger is its date.
    ANONYMOUS_CONTACT = "anonymous_contact", _("Anonymous contact")
    # A message to a victim (its text and delivery record): the trigger is when it was made.
    MESSAGE = "message", _("Message to a victim")


class RetentionSchedule(TenantModel):
    """How long the agency keeps one kind of record: `years` after its trigger date, under the
    legal basis the agency names (its approved records schedule, the grant's rule)."""

    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    years = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    legal_basis = models.TextField()
    active = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind"], name="retention_one_schedule_per_kind"
            )
        ]


class LegalHold(TenantModel):
    """Keep a case, or a person and every case of theirs, whatever the schedule says (a
    subpoena, litigation, an audit). In force until released."""

    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=300)
    placed_by = models.ForeignKey("agencies.Membership", on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, person__isnull=True)
                | Q(case__isnull=True, person__isnull=False),
                name="retention_hold_on_case_or_person",
            )
        ]
        ordering = ["-placed_at", "-id"]


class BatchStatus(models.TextChoices):
    # Listed by the monthly job or a supervisor; waits for another supervisor's approval.
    PROPOSED = "proposed", _("Waiting for approval")
    # Approved and purged: the certificate says what went.
    DONE = "done", _("Purged")
    # A supervisor decided not to purge it.
    REJECTED = "rejected", _("Rejected")


class PurgeBatch(TenantModel):
    """The records of one kind that were due on one day, as proposed for destruction."""

    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.PROPOSED
    )
    # None: the monthly job proposed it.
    proposed_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_label = models.CharField(max_length=150)
    proposed_at = models.DateTimeField(default=timezone.now)
    # The schedule as it stood when proposed.
    years = models.PositiveSmallIntegerField()
    legal_basis = models.TextField()
    decided_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Due")
    PURGED = "purged", _("Destroyed")
    # Left in place at approval: a legal hold, a reopened case, a quarter not yet reported.
    SKIPPED = "skipped", _("Kept")


class PurgeItem(TenantModel):
    """One record in a batch, named by id (and a case by its number), never by a name."""

    batch = models.ForeignKey(PurgeBatch, on_delete=models.CASCADE, related_name="items")
    object_id = models.BigIntegerField()
    label = models.CharField(max_length=40)  # "Case 2026-00012", "Person 41", "Contact 7"
    trigger_date = models.DateField()
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    skip_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["trigger_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "object_id"], name="retention_item_once")
        ]


class DestructionCertificate(TenantModel):
    """What a purge destroyed, for an auditor: no names, no birth dates, no case contents.

    `digests` holds, for each destroyed record, the SHA-256 of a random per-certificate salt
    and the record's kind and id: given the salt (printed on the certificate) an auditor who
    holds a record's id from elsewhere (a backup, a court order) can show it was destroyed,
    and nobody can read anything from it. `rows` counts the rows destroyed by table.
    `sha256` is the digest of the certificate's own content, written to the access log."""

    batch = models.OneToOneField(PurgeBatch, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    count = models.PositiveIntegerField()
    kept = models.PositiveIntegerField(default=0)
    earliest_trigger = models.DateField(null=True, blank=True)
    latest_trigger = models.DateField(null=True, blank=True)
    years = models.PositiveSmallIntegerField()
    legal_basis = models.TextField()
    proposed_label = models.CharField(max_length=150)
    proposed_at = models.DateTimeField()
    approved_label = models.CharField(max_length=150)
    approved_at = models.DateTimeField()
    salt = models.CharField(max_length=64)
    digests = models.JSONField(default=list)
    document_digests = models.JSONField(default=list)  # [kind, sha256] from documents' purgers
    rows = models.JSONField(default=dict)
    frozen_quarters = models.JSONField(default=list)
    sha256 = models.CharField(max_length=64)
    audit_event_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-approved_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"], name="retention_certificate_number"
            )
        ]
