"""The program beyond cases: trainings given, outreach events, partner meetings and case
reviews (`Activity`), and the unit's volunteers and interns (`VolunteerProfile`,
`VolunteerHours`). Counting rules: docs/reports.md, "Program activities and volunteer hours"."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.core.versions import Versioned


class ActivityKind(models.TextChoices):
    # A training the unit gave (not one its staff attended): trauma-informed response,
    # confidentiality, documentation.
    TRAINING = "training", _("Training given")
    # A community outreach or awareness event: a table at a fair, a school talk, a vigil.
    OUTREACH = "outreach", _("Community outreach or awareness event")
    # A meeting with partners: fact-sharing sessions, a coordinated community response team.
    PARTNER_MEETING = "partner_meeting", _("Partner meeting")
    # A multidisciplinary case review: cases are discussed only under a release that covers
    # every partner present (haven.consent's gate).
    CASE_REVIEW = "case_review", _("Multidisciplinary case review")


class Audience(models.TextChoices):
    OFFICERS = "officers", _("Officers")
    PARTNERS = "partners", _("Partners")
    COMMUNITY = "community", _("Community")
    STAFF = "staff", _("Staff and volunteers")


class Activity(TenantModel):
    """One activity outside a case, with who led it and the staff time it took."""

    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    topic = models.CharField(max_length=200)
    held_on = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    # How long the activity itself lasted, in hours (a 90-minute training: 1.5).
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    # Staff time it took, preparation and travel included (at least `hours`).
    time_spent = models.DecimalField(max_digits=6, decimal_places=2)
    led_by = models.ForeignKey(
        "agencies.Membership", on_delete=models.PROTECT, related_name="activities_led"
    )
    audience = models.CharField(max_length=20, choices=Audience.choices, blank=True)
    attendees = models.PositiveIntegerField(null=True, blank=True)
    # What was handed out or shown: titles and links, one a line.
    materials = models.TextField(blank=True)
    partners = models.ManyToManyField("partners.Organization", blank=True, related_name="+")
    # Case reviews only: the cases discussed (each covered by a release, checked on save).
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="+")
    # None when the system recorded it (the demo loader).
    # The grant or fund that paid for it (haven.funding), when the unit tags it: the per-grant
    # report counts the activities of each source (selectors.activities_for_funding_source).
    funding_source = models.ForeignKey(
        "funding.FundingSource",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["agency", "held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.topic}"


class VolunteerKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    INTERN = "intern", _("Intern")


class VolunteerProfile(TenantModel, Versioned):
    """A volunteer's or intern's file: when they were trained and background-checked."""

    membership = models.OneToOneField(
        "agencies.Membership", on_delete=models.PROTECT, related_name="volunteer_profile"
    )
    kind = models.CharField(
        max_length=12, choices=VolunteerKind.choices, default=VolunteerKind.VOLUNTEER
    )
    started_on = models.DateField(null=True, blank=True)
    trained_on = models.DateField(null=True, blank=True)
    background_checked_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.membership.display_name} ({self.get_kind_display()})"


class VolunteerHours(TenantModel):
    """Hours a volunteer or intern gave on one day: on a case, or off cases (an event, the
    office)."""

    membership = models.ForeignKey(
        "agencies.Membership", on_delete=models.PROTECT, related_name="volunteer_hours"
    )
    worked_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="volunteer_hours"
    )
    what = models.CharField(max_length=200, blank=True)
    # None when the system recorded it (the demo loader).
    recorded_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-worked_on", "-id"]
        indexes = [models.Index(fields=["agency", "worked_on"])]

    @property
    def on_case(self) -> bool:
        return self.case_id is not None
