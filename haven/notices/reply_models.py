"""Rows for what comes back from the providers (issue 17, item 8): delivery reports for
messages already sent, and texts a victim (or anyone) sends to the agency's number.
Imported by models.py, so Django sees them as the notices app's models."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.lib.crypto import EncryptedTextField


class ProviderStatus(models.TextChoices):
    """What the provider last said about a message, in the order a message moves through
    them (delivery.RANK): a later report of an earlier state never overwrites a later one."""

    # The provider accepted it and has it in its queue.
    QUEUED = "queued", _("Accepted by the provider")
    # Handed to the carrier (SMS) or to the recipient's mail server.
    SENT = "sent", _("Handed to the carrier")
    # The carrier confirmed the handset got it.
    DELIVERED = "delivered", _("Delivered to the phone")
    # The carrier could not deliver it (switched off for days, a landline, blocked).
    UNDELIVERED = "undelivered", _("Not delivered")
    # The provider could not send it at all.
    FAILED = "failed", _("Failed at the provider")
    # The recipient's mail server sent the email back (a bounce).
    BOUNCED = "bounced", _("Bounced")


class DeliveryReport(models.Model):
    """One status report as the provider sent it, kept before it is matched to a message.
    Not a tenant row: a report names only the provider's id for the message, and which agency
    it belongs to is learnt by matching. Unique per (source, id, status), so a report sent
    twice is applied once; a report that came before the worker recorded the provider's id is
    applied by the next sweep (delivery.apply_pending)."""

    # "twilio" for texts, "email" for bounces.
    source = models.CharField(max_length=20)
    external_id = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=ProviderStatus.choices)
    # The provider's error code (Twilio's ErrorCode) or the bounce's status and reason.
    error = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id", "status"], name="notices_delivery_report_once"
            )
        ]
        indexes = [models.Index(fields=["applied_at", "received_at"], name="notices_report_due")]

    def __str__(self) -> str:
        return f"{self.source} {self.status} #{self.pk}"


class InboundKind(models.TextChoices):
    # An ordinary text: lands on the case as an inbound contact.
    REPLY = "reply", _("Text reply")
    # STOP, UNSUBSCRIBE, ARRET...: the number is opted out of texts.
    STOP = "stop", _("Asked to stop texts")
    # START, UNSTOP: texts again.
    START = "start", _("Asked for texts again")
    HELP = "help", _("Asked for help")


class InboundState(models.TextChoices):
    # Matched to one case: an inbound contact on it, the specialist told.
    ON_CASE = "on_case", _("On the case")
    # The number is on no contact point of the agency: waits on the agency's list.
    UNKNOWN = "unknown", _("Unknown number")
    # The number is on people in more than one case: a person chooses the case.
    TRIAGE = "triage", _("Several cases: choose one")
    # A keyword (STOP, START, HELP): acted on, nothing more to do.
    KEYWORD = "keyword", _("Keyword handled")


class InboundText(TenantModel):
    """A text someone sent to the agency's number. The sender's number and the text are
    encrypted like notes; `sender_index` is the blind index contact points are found by."""

    provider = models.CharField(max_length=20)
    # The provider's id for it (Twilio's MessageSid): a retried webhook is stored once.
    external_id = models.CharField(max_length=200)
    sender = EncryptedTextField()
    sender_index = models.CharField(max_length=64, db_index=True)
    # The agency's number it was sent to (the agency's own, not a victim's).
    to_number = models.CharField(max_length=20)
    body = EncryptedTextField(blank=True)
    kind = models.CharField(max_length=10, choices=InboundKind.choices)
    state = models.CharField(max_length=10, choices=InboundState.choices)
    # The case it landed on, the person it came from and the contact logged for it.
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.ForeignKey(
        "cases.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For triage: the open cases the number was found on (ids in this agency).
    candidate_cases = models.JSONField(default=list, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    # A specialist read it and acted (answered, called back, or put it on a case).
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "external_id"], name="notices_inbound_text_once"
            )
        ]
        indexes = [models.Index(fields=["agency", "handled_at", "state"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
