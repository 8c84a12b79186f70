"""Partner referrals: the unit refers a victim OUT to a partner's service and follows the
referral until the partner says how it ended (closed loop). Not to be confused with
haven/intake/scene_referral.py, an officer referring a victim from the scene INTO the unit.

A referral moves proposed → consented → sent → accepted | declined → service_started →
completed | no_show; the specialist may withdraw it while it is open, and one the partner never
answers expires. Every move is a ReferralEvent stamping who (a staff member, or "partner via
link") and when. The partner answers through a ReferralLink: a random token of which only the
digest is stored, expiring and revocable. See docs/referrals.md.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.consent.models import DataCategory
from haven.core.models import TenantModel
from haven.lib.crypto import EncryptedTextField
from haven.partners import needs


class ReferralStatus(models.TextChoices):
    # Written by the specialist; no release of information covering it is on file yet.
    PROPOSED = "proposed", _("Proposed")
    # A release in force covers it: ready to send.
    CONSENTED = "consented", _("Consented")
    # The partner was told (a link by email); waiting for their answer.
    SENT = "sent", _("Sent")
    # The partner will serve the person.
    ACCEPTED = "accepted", _("Accepted")
    # The partner will not (the answer says why). Ends the referral.
    DECLINED = "declined", _("Declined")
    # The person started receiving the service.
    SERVICE_STARTED = "service_started", _("Service started")
    # The service was delivered. Ends the referral.
    COMPLETED = "completed", _("Completed")
    # The person never came. Ends the referral.
    NO_SHOW = "no_show", _("No-show")
    # The specialist called it off (the person changed their mind, found help elsewhere…).
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # Sent, and the partner never answered in time.
    EXPIRED = "expired", _("Expired: no answer")


# Still moving: the partner or the specialist has something to do.
OPEN_STATUSES = frozenset(
    {
        ReferralStatus.PROPOSED,
        ReferralStatus.CONSENTED,
        ReferralStatus.SENT,
        ReferralStatus.ACCEPTED,
        ReferralStatus.SERVICE_STARTED,
    }
)
# The partner knows about it: these are the statuses a partner's link works in.
WITH_PARTNER = frozenset(
    {ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.SERVICE_STARTED}
)

# The partner's answers (by link, or recorded by the specialist after a phone call): from each
# status, where an answer may take the referral.
ANSWERS: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.SERVICE_STARTED, ReferralStatus.NO_SHOW}),
    ReferralStatus.SERVICE_STARTED: frozenset({ReferralStatus.COMPLETED}),
}


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Within a few days")
    URGENT = "urgent", _("Urgent: today")


class Referral(TenantModel):
    """One victim referred from a case to one partner service."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    # The person referred: the case's victim, or a family member served on the case.
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        "partners.Service", on_delete=models.PROTECT, related_name="referrals"
    )
    # The service's organization when the referral was made (reports group by it).
    organization = models.ForeignKey(
        "partners.Organization", on_delete=models.PROTECT, related_name="referrals"
    )
    # What for: a code of the partner directory's need taxonomy (haven/partners/needs.py).
    need = models.CharField(max_length=40, choices=needs.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    # What the specialist chose to share: consent.DataCategory values. The partner's page shows
    # these and nothing else, and only while a release in force covers every one of them.
    categories = models.JSONField(default=list)
    # Documents the specialist chose to include (shareable ones on the case). The partner's page
    # lists and hands out each only while the person's release covers sharing documents with
    # this partner (haven.consent.documents, asked at every view and download).
    documents = models.ManyToManyField("documents.Document", blank=True, related_name="+")
    # The specialist's message to the partner (shown on the partner's page under consent).
    message = EncryptedTextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    # The release of information that covered it when it was sent.
    release = models.ForeignKey(
        "consent.ReleaseOfInformation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The partner's latest answer in their words: why they declined, what happened.
    answer = EncryptedTextField(blank=True)
    # Who gave the latest answer: "partner via link", or the staff member who recorded it.
    answered_by = models.CharField(max_length=150, blank=True)
    created_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    consented_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The partner's first answer (accepted or declined).
    answered_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # When it ended: completed, no-show, declined, withdrawn or expired.
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "sent_at"]),
            models.Index(fields=["agency", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.organization.name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def with_partner(self) -> bool:
        return self.status in WITH_PARTNER

    @property
    def category_labels(self) -> list[str]:
        return [DataCategory(c).label for c in self.categories if c in DataCategory.values]

    @property
    def next_answers(self) -> list[tuple[str, str]]:
        allowed = ANSWERS.get(self.status, frozenset())
        return [(value, label) for value, label in ReferralStatus.choices if value in allowed]


class Via(models.TextChoices):
    STAFF = "staff", _("Staff")
    PARTNER_LINK = "partner_link", _("Partner via link")
    SYSTEM = "system", _("Haven")


PARTNER_LABEL = "partner via link"


class ReferralEvent(TenantModel):
    """One step of a referral's history: the move, who made it, when, and the words given."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=20, choices=Via.choices)
    actor = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The staff member's name, "partner via link", or the task's label.
    actor_label = models.CharField(max_length=150)
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class ReferralLink(TenantModel):
    """The partner's way in: a link with a random token, mailed to the partner. At most one is
    live per referral; resending revokes the old one."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="links")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Where the link was mailed (the service's address, else the organization's).
    sent_to = models.EmailField(blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(revoked_at__isnull=True),
                name="referral_one_live_link",
            )
        ]

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
