"""Crisis response: call-outs (a specialist asked to come to a scene, a hospital, a station, a
home, or to help by phone) and anonymous contacts (a hotline caller or walk-in who gives no
identity). docs/crisis.md says how each is recorded and counted."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.lib.crypto import EncryptedTextField
from haven.lib.reference import choices


class RequestedBy(models.TextChoices):
    OFFICER = "officer", _("An officer")
    DISPATCH = "dispatch", _("Dispatch (911)")
    HOSPITAL = "hospital", _("A hospital")
    HOTLINE = "hotline", _("The hotline")
    OTHER = "other", _("Someone else")


class Place(models.TextChoices):
    SCENE = "scene", _("At the scene")
    HOSPITAL = "hospital", _("At a hospital")
    STATION = "station", _("At a police station")
    HOME = "home", _("At the victim's home")
    PHONE = "phone", _("By phone")


class CallOutStatus(models.TextChoices):
    # Asked for; nobody is on the way yet.
    REQUESTED = "requested", _("Requested")
    # A specialist is on the way (or, by phone, is calling).
    DISPATCHED = "dispatched", _("On the way")
    # A specialist is there (or on the line).
    ARRIVED = "arrived", _("On scene")
    # Done: the specialist has left (or hung up).
    CLEARED = "cleared", _("Cleared")
    # Called off before anyone arrived (the victim left, the officer no longer needs us).
    CANCELLED = "cancelled", _("Called off")


OPEN_STATUSES = (CallOutStatus.REQUESTED, CallOutStatus.DISPATCHED, CallOutStatus.ARRIVED)


class Outcome(models.TextChoices):
    SERVED = "served", _("Victim seen and helped")
    CASE_OPENED = "case_opened", _("Victim helped; a case was opened")
    DECLINED = "declined", _("Victim declined help")
    NOT_PRESENT = "not_present", _("Victim was gone when we arrived")
    REFERRED = "referred", _("Referred elsewhere")
    OTHER = "other", _("Other")


class CallOut(TenantModel):
    """One crisis response: who asked, when each step happened, where, who went, how it ended,
    and the case it belongs to (or opened). The times are written by the services only."""

    requested_by = models.CharField(max_length=10, choices=RequestedBy.choices)
    # Who asked, in words ("Officer Diaz, 4th district", "Mercy Hospital ER charge nurse").
    requester = models.CharField(max_length=120, blank=True)
    # The member who asked, when it came through Haven (an officer's scene referral).
    requested_by_member = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    dispatched_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=CallOutStatus.choices, default=CallOutStatus.REQUESTED
    )
    place = models.CharField(max_length=10, choices=Place.choices)
    # The address or the hospital and ward: where the victim is (encrypted at rest).
    place_detail = EncryptedTextField(blank=True)
    district = models.ForeignKey(
        "agencies.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responders = models.ManyToManyField("agencies.Membership", blank=True, related_name="+")
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = EncryptedTextField(blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["agency", "status", "requested_at"])]

    def __str__(self) -> str:
        return f"Call-out {self.pk} ({self.get_place_display().lower()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def response_minutes(self) -> int | None:
        """Request to arrival, in whole minutes; None until someone arrived."""
        if self.arrived_at is None:
            return None
        return int((self.arrived_at - self.requested_at).total_seconds() // 60)


class ContactKind(models.TextChoices):
    HOTLINE = "hotline", _("Hotline call")
    WALK_IN = "walk_in", _("Walk-in")


class AnonymousContact(TenantModel):
    """A contact with someone who gave no identity. On purpose it has no link to a person or a
    case, and no free text where a name could be typed: only what the PMT counts."""

    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    contact_date = models.DateField()
    duration_minutes = models.PositiveIntegerField()
    # Empty: the caller did not say.
    victimization = models.CharField(
        max_length=40, blank=True, choices=choices("pmt", "victimization_types")
    )
    # PMT sub-service codes ("C2"), haven.assistance.catalog.
    services = models.JSONField(default=list)
    # A referral made, as a kind of place ("A3": another victim service program; "A4": other
    # services); empty: none.
    referral = models.CharField(max_length=2, blank=True)
    recorded_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-contact_date", "-id"]
        indexes = [models.Index(fields=["agency", "contact_date"])]
