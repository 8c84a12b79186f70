"""The on-call roster: who takes officer referrals (and the officer's call) at any instant.

Explicit shifts, a weekly pattern for regular weeks, holidays with their own cover, the
agency's coverage mode and the optional end of the manual override (`Agency.on_call`). Who
covers an instant is decided in roster.py (pure) from these rows, loaded by selectors.py;
changes go through services.py. See docs/architecture.md, "On call".
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.core.versions import Versioned

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class Coverage(models.TextChoices):
    # Someone is meant to be on call at every hour, holidays included (the default: what
    # Agency.on_call alone has always meant).
    ALWAYS = "always", _("Around the clock (24/7)")
    # On call only while the unit is open (agencies.ServiceHours, never on a holiday without
    # cover); outside them officers are told when the unit opens and the emergency numbers.
    SERVICE_HOURS = "service_hours", _("During the unit's service hours only")


class OnCallSettings(TenantModel, Versioned):
    """One agency's on-call settings; a missing row means the defaults (24/7, no hotline)."""

    coverage = models.CharField(max_length=20, choices=Coverage.choices, default=Coverage.ALWAYS)
    # A crisis line that answers when the unit is closed (shown with 911); E.164 or "".
    hotline = models.CharField(max_length=32, blank=True)
    # The manual override is Agency.on_call; it lapses at `override_until` when that is set and
    # `override_for` is still the member it was set for (the older /agency/on-call/ page sets
    # Agency.on_call without an end: then override_for no longer matches and nothing lapses).
    override_for = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="oncall_settings_one_per_agency")
        ]
        verbose_name_plural = "on-call settings"


class OnCallShift(TenantModel):
    """One member on call from one instant to another: beats the holiday and the pattern."""

    member = models.ForeignKey("agencies.Membership", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["agency", "ends_at"], name="oncall_shift_agency_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="oncall_shift_ends_after_start"
            )
        ]


class OnCallPattern(TenantModel):
    """One slot of the weekly pattern, in the agency's local time: `weekday` from `starts` to
    `ends`, which is the next day when it is not after `starts` (22:00-06:00); equal times mean
    24 hours. Not applied on a holiday."""

    weekday = models.PositiveSmallIntegerField(choices=list(enumerate(WEEKDAYS)))
    starts = models.TimeField()
    ends = models.TimeField()
    member = models.ForeignKey("agencies.Membership", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["weekday", "starts"]


class Holiday(TenantModel):
    """A day (local midnight to midnight) on which the weekly pattern does not apply: its own
    cover, if any, is on call instead; shifts on that day still win."""

    date = models.DateField()
    name = models.CharField(max_length=100)
    member = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "date"], name="oncall_holiday_one_per_day")
        ]
