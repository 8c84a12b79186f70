"""Reports: the agency's goals, and the satisfaction survey (invitations and anonymous answers).

A survey answer (SurveyResponse) has no link to the invitation, the case or the person: it
keeps only coarse dimensions (month, district, victimization type, specialist, language) so
the dashboard can count it and nobody can read it back to the person who gave it.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.core.versions import Versioned
from haven.lib.crypto import EncryptedTextField


class ReportGoals(TenantModel, Versioned):
    """The agency's performance goals (seeds/003); one row per agency, made when first saved."""

    first_contact_hours = models.PositiveIntegerField(
        default=24, validators=[MinValueValidator(1), MaxValueValidator(24 * 30)]
    )
    resolution_days = models.PositiveIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    satisfaction_percent = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    # Survey the victim while the case is open too, this many days after it was received
    # (0: only at closure).
    midcase_survey_days = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(365)]
    )
    updated_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="reports_goals_one_per_agency")
        ]
        verbose_name_plural = "report goals"


class SurveyKind(models.TextChoices):
    CLOSURE = "closure", _("At closure")
    MIDCASE = "midcase", _("While the case is open")


class SurveyInvitation(TenantModel):
    """One anonymous survey link sent to one person. Only the token's hash is stored; the link
    works once (used_on is set when answered) and expires."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=SurveyKind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # The day (not the moment) it was answered: a time would let someone pair it with the
    # answer rows of that minute.
    used_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "kind"], name="survey_one_per_kind")
        ]


class SurveyResponse(TenantModel):
    """One anonymous answer. No foreign key to the invitation, case or person, on purpose."""

    month = models.DateField()  # the first day of the month it was answered (agency zone)
    district = models.ForeignKey(
        "agencies.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    victimization = models.CharField(max_length=40, blank=True)
    specialist = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=SurveyKind.choices)
    language = models.CharField(max_length=8, default="en")
    # 1 very dissatisfied … 5 very satisfied.
    overall = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # "yes", "partly", "no" or "" (skipped): every question but the first may be skipped.
    respected = models.CharField(max_length=8, blank=True)
    informed = models.CharField(max_length=8, blank=True)
    knows_help = models.CharField(max_length=8, blank=True)
    # Optional words; encrypted, never shown to analysts.
    comment = EncryptedTextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["agency", "month"])]


class PmtSnapshot(TenantModel):
    """A quarter's PMT report frozen as it stood (docs/retention.md): once a quarter's report
    is frozen, `pmt_report` answers from here, so a purge of the records it counted (retention)
    leaves the filed numbers as they were. One per quarter, and one per quarter and funding
    source for the per-source report."""

    quarter = models.CharField(max_length=6)  # "2026Q3"
    funding_source = models.ForeignKey(
        "funding.FundingSource", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField()
    frozen_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "quarter"],
                condition=models.Q(funding_source__isnull=True),
                name="reports_pmt_snapshot_once",
            ),
            models.UniqueConstraint(
                fields=["agency", "quarter", "funding_source"],
                name="reports_pmt_snapshot_once_per_source",
            ),
        ]
