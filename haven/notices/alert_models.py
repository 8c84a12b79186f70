"""Rows for what Haven sends to staff and partners (not victims): the staff-alert outbox, the
24-hour clock's warnings already given, and the unit's choice for each automatic message.
Imported by models.py, so Django sees them as the notices app's models."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.lib.crypto import EncryptedTextField


class AlertStatus(models.TextChoices):
    # Waiting for the worker (first try, or a retry after a transient failure).
    QUEUED = "queued", _("Queued")
    # Claimed by a worker now.
    SENDING = "sending", _("Sending")
    # Handed to the mail server or SMS provider.
    SENT = "sent", _("Sent")
    # Refused for good or given up after the last retry: a task says so.
    FAILED = "failed", _("Failed")


class AlertChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class StaffAlert(TenantModel):
    """One email or text to one staff member or partner address, sent by the worker with
    retries (staff_alerts.py). Holds no victim's name or details: a case number and a link."""

    # What it is: "referral_alert", "lethality_alert", "partner_referral", "invitation",
    # "member_left", "clock_digest", ... (staff_alerts.KINDS names them for people).
    kind = models.CharField(max_length=40)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The record it is about when that is not a case, e.g. "referrals.referral:12".
    source = models.CharField(max_length=200, blank=True)
    # The staff member it goes to; empty for a partner's address or an invitee.
    recipient = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=AlertChannel.choices)
    destination = EncryptedTextField()
    subject = models.CharField(max_length=300, blank=True)
    # Encrypted: an invitation carries a one-time link.
    body = EncryptedTextField()
    status = models.CharField(
        max_length=10, choices=AlertStatus.choices, default=AlertStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    claim_token = models.CharField(max_length=40, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200)
    # The task a final failure made (on the case, for a supervisor).
    task = models.ForeignKey(
        "cases.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "channel", "dedupe_key"], name="notices_staff_alert_dedupe"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notices_alert_due")]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} #{self.pk}"


class ClockWarningKind(models.TextChoices):
    FIRST_CONTACT_SOON = "first_contact_soon", _("First contact due soon")
    FIRST_CONTACT_MISSED = "first_contact_missed", _("First-contact goal missed")
    UNASSIGNED = "unassigned", _("Waiting unassigned")
    RESOLUTION_SOON = "resolution_soon", _("Resolution goal near")
    RESOLUTION_MISSED = "resolution_missed", _("Resolution goal passed")


class ClockWarning(TenantModel):
    """A warning the clock sweep gave about a case: one row per case and kind, so the same
    case is never in two digests for the same warning (digests.py)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=ClockWarningKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="notices_clock_warning_once")
        ]


class AutoKind(models.TextChoices):
    """The automatic messages to victims a unit controls (automatic.py)."""

    CASE_TAKEN = "case_taken", _("A specialist took the case")
    COURT_DATE = "court_date", _("A court date was added or moved")
    CLOSING = "closing", _("The case is closing (the satisfaction survey)")
    CUSTODY = "custody", _("An arrest or custody change")


class AutoMode(models.TextChoices):
    SEND = "send", _("Send")
    HOLD = "hold", _("Hold for the specialist's review")
    OFF = "off", _("Off")


class AutomaticRule(TenantModel):
    """The unit's choice for one automatic message and one victimization type. No row: the
    default (held for the sensitive types, sent for the others; automatic.default_mode)."""

    kind = models.CharField(max_length=20, choices=AutoKind.choices)
    victimization = models.CharField(max_length=60)
    mode = models.CharField(max_length=10, choices=AutoMode.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "victimization"], name="notices_auto_rule_once"
            )
        ]
