"""The victim's private status page (issue 14, item 4).

A StatusPage is offered by the specialist for one victim on one case, never by default. Its
link carries a random token stored only as a digest; opening it takes a one-time code sent to
a contact point the victim marked safe (or, where they chose it, their date of birth). What the
page shows is what the specialist released: each section is off until switched on, and a
custody change shows only once released one by one (fail closed)."""

from django.db import models
from django.utils import timezone

from haven.core.models import TenantModel
from haven.lib.crypto import EncryptedTextField


class StatusPage(TenantModel):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # SHA-256 of the token in the link; a new link replaces it (the old one stops working).
    token_digest = models.CharField(max_length=64, unique=True)
    # The victim chose to open the page with their date of birth instead of a code.
    dob_allowed = models.BooleanField(default=False)
    # What the specialist released to the victim. Off until switched on.
    show_court = models.BooleanField("Court dates", default=False)
    show_compensation = models.BooleanField("Compensation claim", default=False)
    show_referrals = models.BooleanField("Partner referrals", default=False)
    # The specialist's own words on what happens next, written for the victim.
    next_steps = EncryptedTextField(blank=True)
    created_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Wrong codes (or dates of birth) in a row; at the limit the page locks until locked_until.
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Status page {self.pk} (case {self.case_id})"

    def is_live(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class CustodyRelease(TenantModel):
    """One custody change the specialist released to the victim's page."""

    page = models.ForeignKey(StatusPage, on_delete=models.CASCADE, related_name="custody")
    custody_event = models.ForeignKey(
        "justice.CustodyEvent", on_delete=models.CASCADE, related_name="+"
    )
    released_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "custody_event"], name="portal_custody_once")
        ]


class AccessCode(TenantModel):
    """A one-time code sent to a safe contact point. Only its keyed hash is kept."""

    page = models.ForeignKey(StatusPage, on_delete=models.CASCADE, related_name="codes")
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    # Counted from when the message may go out (a code held for the victim's safe hours
    # still lives its full time once sent).
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
