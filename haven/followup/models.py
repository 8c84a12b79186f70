"""Follow-up: a case's check-in plan and its scheduled check-ins and court appointments, the
agency's default cadences (rules) and its scheduling settings."""

from datetime import time

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.cases.models import Priority
from haven.core.models import TenantModel
from haven.core.versions import Versioned
from haven.followup import schedule
from haven.lib.crypto import EncryptedTextField
from haven.lib.reference import choices


class CadenceUnit(models.TextChoices):
    DAYS = schedule.DAYS, _("Every few days")
    WEEKS = schedule.WEEKS, _("Every few weeks")
    MONTHS = schedule.MONTHS, _("Every few months")
    WEEKLY_THEN_MONTHLY = (
        schedule.WEEKLY_THEN_MONTHLY,
        _("Weekly for the first month, then monthly"),
    )


DEFAULT_TIME = time(10, 0)


class FollowUpSettings(TenantModel, Versioned):
    """How the agency schedules check-ins; one row per agency, made when first saved."""

    # Move a check-in that falls on a day the unit is closed (no ServiceHours that weekday;
    # Saturday and Sunday when the agency has entered none) to the next day it is open.
    skip_closed_days = models.BooleanField(default=False)
    # The wall-clock time, in the agency's time zone, that rule-made plans check in at.
    default_time = models.TimeField(default=DEFAULT_TIME)
    updated_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="followup_settings_one_per_agency")
        ]
        verbose_name_plural = "follow-up settings"


class FollowUpRule(TenantModel, Versioned):
    """The agency's default cadence for cases of a victimization type and/or priority, applied
    once, when a case first becomes active. Rules are tried in `position` order; the first that
    matches decides. Never deleted, only switched off: plans point to the rule that made them.
    """

    name = models.CharField(max_length=80)
    # Empty: any victimization type (or any priority).
    victimization = models.CharField(
        max_length=40, blank=True, choices=choices("pmt", "victimization_types")
    )
    priority = models.CharField(max_length=10, blank=True, choices=Priority.choices)
    unit = models.CharField(max_length=20, choices=CadenceUnit.choices)
    every = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def cadence(self) -> schedule.Cadence:
        return schedule.Cadence(self.unit, self.every)

    @property
    def cadence_text(self) -> str:
        return schedule.describe(self.cadence)


class PlanStatus(models.TextChoices):
    # Check-ins are scheduled by the cadence, one at a time.
    ACTIVE = "active", _("Checking in")
    # No regular check-ins: no rule matched, or the specialist paused them.
    PAUSED = "paused", _("No regular check-ins")
    # The case ended; its pending check-in was canceled. Setting a cadence starts it again.
    STOPPED = "stopped", _("Stopped: the case ended")


class PlanSource(models.TextChoices):
    RULE = "rule", _("The agency's rule")
    MANUAL = "manual", _("Set on the case")


class FollowUpPlan(TenantModel, Versioned):
    """A case's check-in cadence. The grid of check-ins counts from `anchor_date` (see
    schedule.py): occurrence n is n steps after it, at `time_of_day` in the agency's zone."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="followup_plan"
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices)
    source = models.CharField(max_length=10, choices=PlanSource.choices)
    # The rule that set the cadence; empty once the cadence is set on the case (manual).
    rule = models.ForeignKey(
        FollowUpRule, null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    # Empty while no rule matched and nobody set one.
    unit = models.CharField(max_length=20, choices=CadenceUnit.choices, blank=True)
    every = models.PositiveSmallIntegerField(default=1)
    time_of_day = models.TimeField(default=DEFAULT_TIME)
    anchor_date = models.DateField()
    updated_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    @property
    def cadence(self) -> schedule.Cadence | None:
        return schedule.Cadence(self.unit, self.every) if self.unit else None

    @property
    def cadence_text(self) -> str:
        return schedule.describe(self.cadence) if self.unit else ""


class FollowUpKind(models.TextChoices):
    CHECK_IN = "check_in", _("Check-in")
    COURT = "court", _("Court accompaniment")
    # Accompaniment to a medical forensic exam (PMT B2) or a detective's interview (PMT B3):
    # appointments of their own kind, counted in the PMT report when done (docs/reports.md).
    EXAM = "exam", _("Forensic exam accompaniment")
    INTERVIEW = "interview", _("Detective interview accompaniment")


# The appointments (every kind but the check-in): each needs its place.
APPOINTMENT_KINDS = (FollowUpKind.COURT, FollowUpKind.EXAM, FollowUpKind.INTERVIEW)
# The PMT sub-service an accompaniment of its own kind is, when done (haven/reference/pmt.json):
# counted by the PMT report (haven/reports/pmt.py). Court accompaniment (E10) is recorded as a
# service on the case, as before.
PMT_SERVICE = {FollowUpKind.EXAM: "B2", FollowUpKind.INTERVIEW: "B3"}


class FollowUpOutcome(models.TextChoices):
    # The check-in happened (the victim was reached), or the specialist went to court.
    DONE = "done", _("Done")
    # Tried, but did not reach the victim (or the hearing did not go ahead).
    NOT_REACHED = "not_reached", _("Tried, did not reach them")
    # Passed over on purpose; the next check-in is scheduled as usual.
    SKIPPED = "skipped", _("Skipped")
    # Will not happen: the appointment was called off, or the case ended.
    CANCELED = "canceled", _("Canceled")


class FollowUp(TenantModel):
    """A scheduled check-in or court accompaniment appointment on a case.

    `assignee` is set only when a supervisor gives the follow-up to someone other than the
    case's specialist; empty, it goes with the case, so reassigning a case carries its
    follow-ups along without anything to update.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="followups")
    kind = models.CharField(max_length=10, choices=FollowUpKind.choices)
    # Stored in UTC; computed (check-ins) or read (appointments) in the agency's time zone.
    due_at = models.DateTimeField()
    # For a check-in of the plan: its occurrence number on the plan's grid, so the next one is
    # counted from the plan, not from when this one was done. Empty for one-off check-ins.
    sequence = models.PositiveIntegerField(null=True, blank=True)
    assignee = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Appointments: where (a courthouse and room, a hospital, a station; not the victim's
    # address), and notes.
    location = models.CharField(max_length=200, blank=True)
    # The court event (haven.justice) a court accompaniment follows: moved with it, cancelled
    # with it (justice calls accompaniments_follow_court_event). An id, not a foreign key:
    # justice sits above follow-up in the layers (docs/architecture.md).
    court_event_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    # Set when the hearing moved to a time that clashes with another appointment of the same
    # specialist: what it clashes with. Cleared when it moves again without a clash.
    conflict = models.CharField(max_length=200, blank=True)
    notes = EncryptedTextField(blank=True)
    created_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=FollowUpOutcome.choices, blank=True)
    # The contact-log entry the check-in was, when the specialist linked one.
    contact = models.ForeignKey(
        "cases.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            # One pending check-in per case: completing it is what schedules the next.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(kind="check_in", done_at__isnull=True),
                name="followup_one_pending_check_in",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "done_at", "due_at"]),
            models.Index(fields=["agency", "assignee", "done_at", "due_at"]),
        ]

    @property
    def is_pending(self) -> bool:
        return self.done_at is None

    @property
    def specialist(self):
        """Who does it: the assignee a supervisor chose, else the case's specialist."""
        return self.assignee or self.case.assigned_to


class ReminderDigest(TenantModel):
    """That a specialist's morning digest for a local date went out: the row is the claim, so
    with any number of workers (or a rerun) each specialist gets one a day."""

    membership = models.ForeignKey(
        "agencies.Membership", on_delete=models.CASCADE, related_name="+"
    )
    on_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "on_date"], name="followup_one_digest_a_day"
            )
        ]
