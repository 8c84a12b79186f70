"""Crime victim compensation claims and court-ordered restitution.

A Claim is one claimant's application to a state program (programs/<code>.json holds its
rules); its expenses, the state's payments and every status move hang off it. Restitution is
separate: a court orders the defendant to pay the victim, and the clerk passes payments on.
Every write goes through compensation.services; money is Decimal to the cent.
"""

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.core.versions import Versioned
from haven.lib.crypto import EncryptedTextField


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # being put together with the claimant
    READY = "ready", _("Ready to file")  # facts and expenses in; waiting for signature and mailing
    FILED = "filed", _("Filed")  # sent to the program
    PENDING = "pending", _("Under review")  # the Attorney General is investigating
    AWARDED = "awarded", _("Awarded")
    PARTIAL = "partial", _("Partially awarded")
    DENIED = "denied", _("Denied")
    APPEAL_FILED = "appeal_filed", _("Appeal filed")  # a hearing was asked for
    APPEAL_DECIDED = "appeal_decided", _("Appeal decided")
    CLOSED = "closed", _("Closed")  # paid out or nothing more to do
    WITHDRAWN = "withdrawn", _("Withdrawn")  # the claimant chose not to go on


# The moves a claim may make; one service (claim_set_status) makes them all.
TRANSITIONS: dict[str, set[str]] = {
    ClaimStatus.DRAFT: {ClaimStatus.READY, ClaimStatus.WITHDRAWN},
    ClaimStatus.READY: {ClaimStatus.DRAFT, ClaimStatus.FILED, ClaimStatus.WITHDRAWN},
    ClaimStatus.FILED: {ClaimStatus.PENDING, ClaimStatus.WITHDRAWN},
    ClaimStatus.PENDING: {
        ClaimStatus.AWARDED,
        ClaimStatus.PARTIAL,
        ClaimStatus.DENIED,
        ClaimStatus.WITHDRAWN,
    },
    ClaimStatus.AWARDED: {ClaimStatus.CLOSED},
    ClaimStatus.PARTIAL: {ClaimStatus.APPEAL_FILED, ClaimStatus.CLOSED},
    ClaimStatus.DENIED: {ClaimStatus.APPEAL_FILED, ClaimStatus.CLOSED},
    ClaimStatus.APPEAL_FILED: {ClaimStatus.APPEAL_DECIDED, ClaimStatus.WITHDRAWN},
    ClaimStatus.APPEAL_DECIDED: {ClaimStatus.CLOSED},
    ClaimStatus.CLOSED: set(),
    ClaimStatus.WITHDRAWN: set(),
}
DECIDED = {ClaimStatus.AWARDED, ClaimStatus.PARTIAL, ClaimStatus.DENIED}
APPEALABLE = {ClaimStatus.PARTIAL, ClaimStatus.DENIED}
BEFORE_FILING = {ClaimStatus.DRAFT, ClaimStatus.READY}
ENDED = {ClaimStatus.CLOSED, ClaimStatus.WITHDRAWN}


class Cooperation(models.TextChoices):
    UNKNOWN = "", _("Not known yet")
    YES = "yes", _("Yes, has cooperated")
    NO = "no", _("No")


class Claim(TenantModel, Versioned):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    claimant = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # A code of the program's claimant_relations (victim, dependent, paid_expenses, guardian).
    claimant_relation = models.CharField(max_length=20)
    program = models.CharField(max_length=30)  # programs/<program>.json
    crime_date = models.DateField()
    crime_type = models.CharField(max_length=30, blank=True)  # a program crime_types code
    reported_on = models.DateField(null=True, blank=True)
    police_agency = models.CharField(max_length=120, blank=True)
    report_exception = models.CharField(max_length=40, blank=True)  # program report_exceptions
    charges_filed_on = models.DateField(null=True, blank=True)
    cooperated = models.CharField(max_length=3, choices=Cooperation.choices, blank=True)
    incarcerated = models.BooleanField(default=False)
    late_good_cause = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default="draft")
    status_changed_at = models.DateTimeField(default=timezone.now)
    filed_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    state_claim_number = models.CharField(max_length=40, blank=True)
    award_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Compensation claim {self.pk}"

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED


class ClaimStatusChange(TenantModel):
    """One move of a claim's status: who, when, from what to what, and why."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=ClaimStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    note = EncryptedTextField(blank=True)
    notified = models.BooleanField(default=False)  # the claimant was sent a status message
    by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_label = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]


class ExpenseItem(TenantModel):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="expenses")
    category = models.CharField(max_length=30)  # a program categories code
    description = models.CharField(max_length=200, blank=True)
    provider = models.CharField(max_length=200, blank=True)
    incurred_on = models.DateField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    # For categories capped per month (loss of earnings or support): the months claimed.
    months = models.PositiveSmallIntegerField(null=True, blank=True)
    # Document codes (program documents) the specialist has in hand.
    documents_received = models.JSONField(default=list, blank=True)
    amount_awarded = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["incurred_on", "id"]


class ClaimPayment(TenantModel):
    """A payment the program made on an award."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    payee = models.CharField(max_length=200)  # the claimant, or a provider paid directly
    category = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["paid_on", "id"]


class RestitutionStatus(models.TextChoices):
    OPEN = "open", _("Being paid")  # balance outstanding
    PAID = "paid", _("Paid in full")
    CLOSED = "closed", _("Closed unpaid")  # e.g. the order was vacated or the defendant died


class RestitutionOrder(TenantModel):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    payee = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    court_case_number = models.CharField(max_length=60)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    ordered_on = models.DateField()
    payer_name = models.CharField(max_length=200)  # the defendant
    schedule_note = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=RestitutionStatus.choices, default=RestitutionStatus.OPEN
    )
    paid_total = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    created_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-ordered_on", "-id"]

    @property
    def balance(self) -> Decimal:
        return self.amount - self.paid_total


class RestitutionPayment(TenantModel):
    order = models.ForeignKey(RestitutionOrder, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    received_from = models.CharField(max_length=120, default="Clerk of the Circuit Court")
    balance_after = models.DecimalField(max_digits=10, decimal_places=2)
    recorded_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["paid_on", "id"]
