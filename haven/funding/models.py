"""Funding sources (grants and funds), members' time splits across them, and emergency
financial assistance: the funds the unit holds, their deposits, and requests on a case.

Written only by funding.services; docs/funding.md says who may do what.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.core.versions import Versioned


class FundingKind(models.TextChoices):
    VOCA = "voca", _("VOCA")
    VAWA_STOP = "vawa_stop", _("VAWA STOP")
    STATE = "state", _("State")
    LOCAL = "local", _("Local")
    OTHER = "other", _("Other")


class FundingSource(TenantModel, Versioned):
    """One grant or fund that pays for the unit's work (a VOCA subaward, a VAWA STOP grant,
    state or local money). Services, emergency assistance and members' time are tagged to one.
    At most one per agency is the default: a service recorded without a source gets it."""

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=FundingKind.choices)
    award_number = models.CharField(max_length=60, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    # The award's amount, when the grant manager wants it on the report; optional.
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="funding_source_name"),
            models.UniqueConstraint(
                fields=["agency"], condition=Q(is_default=True), name="funding_source_one_default"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="funding_source_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TimeSplit(TenantModel):
    """One line of a member's time split: from `effective_from` on (until the member's next
    split), `percent` of their time is paid by `source`. The lines of one member and one date
    form a period and add up to 100 (funding.services.time_split_set)."""

    member = models.ForeignKey("agencies.Membership", on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="splits")
    effective_from = models.DateField()
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    set_by = models.ForeignKey(
        "agencies.Membership", null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["member_id", "-effective_from", "source__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "effective_from", "source"], name="time_split_line"
            ),
            models.CheckConstraint(
                condition=Q(percent__gt=0) & Q(percent__lte=100), name="time_split_percent"
            ),
        ]


class EmergencyFund(TenantModel):
    """The money the unit holds for emergency financial assistance from one funding source.
    `balance` is deposits minus disbursements, changed only by a conditional update so two
    disbursements at once cannot overdraw it."""

    source = models.OneToOneField(FundingSource, on_delete=models.PROTECT, related_name="fund")
    balance = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="emergency_fund_not_overdrawn")
        ]

    def __str__(self) -> str:
        return f"Emergency fund ({self.source.name})"


class FundDeposit(TenantModel):
    """Money put into a fund (a drawdown, a transfer). Never edited; a mistake is corrected
    by a new deposit the grant manager explains in its note."""

    fund = models.ForeignKey(EmergencyFund, on_delete=models.PROTECT, related_name="deposits")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    deposited_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    made_by = models.ForeignKey(
        "agencies.Membership", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-deposited_on", "-id"]


class Purpose(models.TextChoices):
    LODGING = "lodging", _("Lodging")
    TRANSPORTATION = "transportation", _("Transportation")
    LOCK_CHANGE = "lock_change", _("Lock change")
    FOOD = "food", _("Food")
    OTHER = "other", _("Other")


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")  # waiting for a supervisor
    APPROVED = "approved", _("Approved")  # a supervisor (not the requester) said yes
    DECLINED = "declined", _("Declined")  # a supervisor said no; final
    DISBURSED = "disbursed", _("Disbursed")  # paid out of the fund; final, counted in the PMT


class EmergencyRequest(TenantModel):
    """A request to pay for something a victim needs now, out of one emergency fund, on a
    case: requested by a specialist, approved or declined by a supervisor who is not the
    requester, then disbursed (the fund's balance goes down)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    fund = models.ForeignKey(EmergencyFund, on_delete=models.PROTECT, related_name="requests")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    # What exactly (e.g. "2 nights, Motel 6"), never the facts of the crime.
    detail = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    # The bill for what was bought (it names the victim, often where they stay): a privileged
    # document on the case, encrypted, audited, backed up and purged with it (haven.documents).
    # Deleting the document (with a reason, on its page) leaves the request without a receipt.
    receipt_document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        max_length=12, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        "agencies.Membership", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=200, blank=True)
    disbursed_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disbursed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["case", "requested_at"]),
            models.Index(fields=["agency", "status", "disbursed_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="emergency_request_amount")
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ${self.amount} on case {self.case_id}"
