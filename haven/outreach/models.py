"""The outreach rules (which police reports open a case, how urgent, who gets it) and the
outreach decisions (what the rules did for each victim on a report).

The tables were made by the incidents app and moved here (migrations 0001-0002); their rows
were kept as they were.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.cases.models import Priority
from haven.core.models import TenantModel
from haven.core.versions import Versioned
from haven.incidents.models import Incident, IncidentPerson
from haven.lib.reference import choices


class RouteTo(models.TextChoices):
    DISTRICT = "district", _("The least-loaded advocate of the report's district")
    QUEUE = "queue", _("Nobody: leave it in the queue for a supervisor")
    SPECIALIST = "specialist", _("A named specialist")


class MinorVictims(models.TextChoices):
    GUARDIAN = "guardian", _("Open the case; reach the parent or guardian first")
    SKIP = "skip", _("Do not open a case")


class OutreachRule(TenantModel, Versioned):
    """Which reports open an outreach case, how urgent it is and who gets it.

    The agency's active rules are tried in `position` order; the first that a report matches
    decides (decisions.py). A rule is never deleted, only switched off: decisions point to it.
    """

    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    # What the report must show: any offense with one of these NIBRS codes or department codes
    # (a code ending in "*" is a prefix), and the flags required. Empty lists: any offense.
    nibrs_codes = models.JSONField(default=list, blank=True)
    offense_codes = models.JSONField(default=list, blank=True)
    # Or an offense whose description contains one of these texts, or matches this regular
    # expression (both ignore case): for exports with no domestic-violence flag ("DOMESTIC
    # BATTERY SIMPLE", "INTIMATE PARTNER - SIMPLE ASSAULT").
    description_contains = models.JSONField(default=list, blank=True)
    description_regex = models.CharField(max_length=200, blank=True)
    requires_domestic_violence = models.BooleanField(default=False)
    requires_firearm = models.BooleanField(default=False)
    # Only reports of these districts; none chosen: every district.
    districts = models.ManyToManyField("agencies.District", blank=True, related_name="+")
    # Reports older than this when imported (a backfill) are history, not outreach.
    max_report_age_days = models.PositiveSmallIntegerField(default=14)
    # What the case gets.
    victimization = models.CharField(max_length=40, choices=choices("pmt", "victimization_types"))
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    route = models.CharField(max_length=12, choices=RouteTo.choices, default=RouteTo.DISTRICT)
    assign_to = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minors = models.CharField(
        max_length=10, choices=MinorVictims.choices, default=MinorVictims.GUARDIAN
    )
    # A task opened with the case, e.g. "Find and reach the family (next of kin)".
    first_step = models.CharField(max_length=200, blank=True)
    # The protocol each case it opens starts (haven.protocols), e.g. homicide survivors.
    protocol = models.ForeignKey(
        "protocols.ProtocolTemplate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class OutreachOutcome(models.TextChoices):
    OPENED = "opened", _("Case opened")
    # The victim already has an open case: a task on it says a new report names them.
    EXISTING_CASE = "existing_case", _("Added to the victim's open case")
    EXCLUDED_SUSPECT = "excluded_suspect", _("Not opened: the victim is also a suspect")
    EXCLUDED_MINOR = "excluded_minor", _("Not opened: the victim is a minor")
    # A possible match waits in the review list; deciding it opens the case.
    AWAITING_REVIEW = "awaiting_review", _("Waiting for a match decision")


class OutreachDecision(TenantModel):
    """What the outreach rules did for one victim on a report; one per victim, so a re-import
    never opens a second case."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    incident_person = models.OneToOneField(
        IncidentPerson, on_delete=models.CASCADE, related_name="outreach"
    )
    rule = models.ForeignKey(OutreachRule, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=OutreachOutcome.choices)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["agency", "outcome"])]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} (incident person {self.incident_person_id})"
