"""Messages to victims: one row per message per channel, its rendered text, where it went and
what became of it, plus the agency's notice settings and the person's opt-outs."""

from datetime import time

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.core.versions import Versioned
from haven.lib.crypto import EncryptedTextField
from haven.lib.tokens import new_token


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    # A PDF letter the specialist prints and mails.
    LETTER = "letter", _("Letter")
    # A task for the specialist to call: used when no written channel is safe.
    PHONE = "phone", _("Phone call")


# Channels a worker sends by itself; letters and calls wait for a person.
AUTOMATIC_CHANNELS = (Channel.EMAIL, Channel.SMS)


class MessageStatus(models.TextChoices):
    # Waiting for the specialist's review (an automatic update the agency holds): nothing goes
    # out until they send it (investigation.message_release) or cancel it.
    HELD = "held", _("Held for review")
    # Waiting for the worker.
    QUEUED = "queued", _("Queued")
    # Waiting for the end of quiet hours or of the contact point's unsafe hours.
    DEFERRED = "deferred", _("Waiting for a safe hour")
    # Claimed by a worker that is sending it now.
    SENDING = "sending", _("Sending")
    # A letter to print or a call to make: waiting for the specialist.
    READY = "ready", _("Waiting for the specialist")
    # Handed to the mail server or SMS provider (or the letter was mailed).
    SENT = "sent", _("Sent")
    # The provider confirmed delivery, or the specialist reached the person by phone.
    DELIVERED = "delivered", _("Delivered")
    # Given up after the last retry, or refused for good by the provider.
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    # Not sent: the person opted out of the channel, or no channel is safe.
    SUPPRESSED = "suppressed", _("Not sent (opted out or no safe channel)")
    # The worker died while sending: it may or may not have gone out. Never resent by itself.
    UNCERTAIN = "uncertain", _("Uncertain: check with the person")


# Statuses a staff member may still cancel.
CANCELLABLE = (
    MessageStatus.HELD,
    MessageStatus.QUEUED,
    MessageStatus.DEFERRED,
    MessageStatus.READY,
)
# Statuses the worker picks up.
DUE_STATUSES = (MessageStatus.QUEUED, MessageStatus.DEFERRED)


def _placeholder_digest() -> str:
    """A message made without a link still needs a unique digest that no token opens."""
    return new_token(nbytes=16)[1]


class UpdateMode(models.TextChoices):
    SEND = "send", _("Sent automatically")
    HELD = "held", _("Held for the specialist's review")
    OFF = "off", _("Not sent")


# The settings a coordinator may change (the settings page, services.notice_settings_update).
EDITABLE_SETTINGS = (
    "quiet_start",
    "quiet_end",
    "specialist_assigned",
    "court_date",
    "arrest",
    "investigation_status_dv",
    "investigation_status_other",
    "sms_sender",
    "first_contact_warn_hours",
    "resolution_warn_days",
)


class NoticeSettings(TenantModel, Versioned):
    """An agency's rules for messages: quiet hours, automatic updates, the SMS sender."""

    # Agency local time; no written message goes out in between (wraps past midnight).
    quiet_start = models.TimeField(default=time(21, 0))
    quiet_end = models.TimeField(default=time(8, 0))
    # Automatic case-status updates (sources "update:<kind>"). Rights obligations
    # ("justice.obligation:...") are never switched off here.
    specialist_assigned = models.BooleanField(
        "Tell the victim when a specialist is assigned", default=True
    )
    court_date = models.BooleanField(
        "Tell the victim when a court date is set or moved", default=True
    )
    arrest = models.BooleanField("Tell the victim about an arrest or release", default=True)
    # The police investigation status of the case's report changed (incidents/investigation.py).
    # Domestic violence: held by default, never sent without a specialist's look (issue 14).
    investigation_status_dv = models.CharField(
        "When the investigation status changes, domestic violence",
        max_length=5,
        choices=UpdateMode.choices,
        default=UpdateMode.HELD,
    )
    investigation_status_other = models.CharField(
        "When the investigation status changes, other cases",
        max_length=5,
        choices=UpdateMode.choices,
        default=UpdateMode.OFF,
    )
    # The number or alphanumeric sender SMS go out from; empty uses HAVEN_SMS_FROM.
    sms_sender = models.CharField("SMS sender", max_length=20, blank=True)
    # The 24-hour clock (digests.py): warn the assigned specialist this many hours after a
    # case came in without a first contact (the goal itself is Agency.first_contact_goal_hours).
    first_contact_warn_hours = models.PositiveSmallIntegerField(
        "Warn the specialist this many hours after a case came in without a first contact",
        default=18,
    )
    # Warn the specialist this many days before an open case reaches the resolution goal.
    resolution_warn_days = models.PositiveSmallIntegerField(
        "Warn the specialist this many days before the resolution goal", default=3
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "notice settings"
        constraints = [models.UniqueConstraint(fields=["agency"], name="notices_one_settings")]


class Message(TenantModel):
    """One message to one person over one channel."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="messages")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    template = models.CharField(max_length=40)
    # The language the text is in; fell_back says the person's language had no template.
    language = models.CharField(max_length=8, default="en")
    fell_back = models.BooleanField(default=False)
    facts = models.JSONField(default=dict, blank=True)
    subject = EncryptedTextField(blank=True)
    body = EncryptedTextField(blank=True)
    # The contact point used and a snapshot of its value when the message was queued.
    contact_point = models.ForeignKey(
        "people.ContactPoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    destination = EncryptedTextField(blank=True)
    status = models.CharField(
        max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    status_note = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    # What the provider last reported (reply_models.ProviderStatus: a status callback or a
    # bounce), when, and its error code; never moved back by a late report (delivery.py).
    provider_status = models.CharField(max_length=20, blank=True)
    provider_status_at = models.DateTimeField(null=True, blank=True)
    provider_error = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=200)
    source = models.CharField(max_length=200, blank=True)
    # The worker's claim: who is sending it and since when (see services.send_due).
    claim_token = models.CharField(max_length=40, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The SHA-256 of the token in the message's opt-out link (/n/<token>/); the token itself
    # is only in the (encrypted) body, so reading the table does not let anyone opt a person out.
    opt_out_digest = models.CharField(max_length=64, unique=True, default=_placeholder_digest)
    # The specialist's task: print the letter, call, or check an uncertain send.
    task = models.ForeignKey(
        "cases.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "channel", "dedupe_key"], name="notices_message_dedupe"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["agency", "dedupe_key"]),
            # Status callbacks find their message by the provider's id, across agencies.
            models.Index(fields=["provider_id"], name="notices_message_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.template} #{self.pk}"

    @property
    def email_message_id(self) -> str:
        """The RFC 5322 Message-ID: derived from the row, so a resend is recognisable."""
        return f"<haven-notice-{self.agency_id}-{self.pk}@haven.invalid>"


class OptOutChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text messages")
    ALL = "all", _("All messages")


class OptOut(TenantModel):
    """The person asked not to get messages over a channel (or at all). Ended, not deleted,
    when they opt back in, so the record shows who decided what and when."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="opt_outs")
    channel = models.CharField(max_length=10, choices=OptOutChannel.choices)
    # "link" when the person used the link in a message, "staff" when recorded by staff.
    via = models.CharField(max_length=10, default="staff")
    recorded_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]


from haven.notices.alert_models import (  # noqa: E402, F401 (Django finds them here)
    AlertChannel,
    AlertStatus,
    AutoKind,
    AutomaticRule,
    AutoMode,
    ClockWarning,
    ClockWarningKind,
    StaffAlert,
)
from haven.notices.reply_models import (  # noqa: E402, F401 (Django finds them here)
    DeliveryReport,
    InboundKind,
    InboundState,
    InboundText,
    ProviderStatus,
)
