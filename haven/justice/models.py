"""The justice-system timeline of a case and the victims' rights it triggers.

A CourtCase is the prosecution that came of a Haven case (a case may have several: one per
defendant or court). CourtEvents are the court's docket (not the specialist's accompaniment
calendar, which is followup's "court appointments"); CustodyEvents are what happened to the
accused. Each event yields RightsObligations, one per victim on the case and rule of the
agency's jurisdictions (rules/*.json). All writes go through haven.justice.services.
"""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.core.versions import Versioned


class Jurisdiction(models.TextChoices):
    ILLINOIS = "illinois", _("Illinois (725 ILCS 120; Ill. Const. art. I §8.1)")
    FEDERAL = "federal_cvra", _("Federal (Crime Victims' Rights Act, 18 U.S.C. 3771)")


class CourtLevel(models.TextChoices):
    STATE = "state", _("State court")
    FEDERAL = "federal", _("Federal court")


class CourtCaseStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # charged, before a disposition
    DISPOSED = "disposed", _("Disposed")  # plea, verdict or dismissal entered
    SENTENCED = "sentenced", _("Sentenced")
    DISMISSED = "dismissed", _("Dismissed")
    CLOSED = "closed", _("Closed")  # nothing more will happen in this court case


class CourtCase(TenantModel, Versioned):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="court_cases")
    court = models.CharField(max_length=200)
    level = models.CharField(max_length=10, choices=CourtLevel.choices, default=CourtLevel.STATE)
    number = models.CharField("court case number", max_length=60)
    # "720 ILCS 5/12-3.2 Domestic battery" lines, one charge a line.
    charges = models.TextField(blank=True)
    defendant_name = models.CharField(max_length=200, blank=True)
    prosecutor_name = models.CharField(max_length=200, blank=True)
    prosecutor_phone = models.CharField(max_length=40, blank=True)
    prosecutor_email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=12, choices=CourtCaseStatus.choices, default=CourtCaseStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "case", "number"], name="justice_court_case_number"
            )
        ]
        indexes = [models.Index(fields=["agency", "number"])]

    def __str__(self) -> str:
        return f"{self.court} {self.number}"


class CourtEventKind(models.TextChoices):
    BOND_HEARING = "bond_hearing", _("Bond (pretrial release) hearing")
    ARRAIGNMENT = "arraignment", _("Arraignment")
    PRELIMINARY_HEARING = "preliminary_hearing", _("Preliminary hearing")
    STATUS_HEARING = "status_hearing", _("Status hearing")
    TRIAL = "trial", _("Trial")
    PLEA = "plea", _("Plea hearing")
    SENTENCING = "sentencing", _("Sentencing")
    POST_CONVICTION = "post_conviction", _("Post-conviction hearing")
    PAROLE_HEARING = "parole_hearing", _("Parole hearing")
    OTHER = "other", _("Other court hearing")


class CourtEventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")  # took place; `outcome` says what came of it
    CONTINUED = (
        "continued",
        _("Moved"),
    )  # moved to another date (previous_scheduled_at keeps the old)
    CANCELLED = "cancelled", _("Cancelled")


class CourtEvent(TenantModel):
    court_case = models.ForeignKey(CourtCase, on_delete=models.PROTECT, related_name="events")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=CourtEventKind.choices)
    scheduled_at = models.DateTimeField()
    courthouse = models.CharField(max_length=200, blank=True)
    courtroom = models.CharField(max_length=60, blank=True)
    status = models.CharField(
        max_length=10, choices=CourtEventStatus.choices, default=CourtEventStatus.SCHEDULED
    )
    outcome = models.TextField(blank=True)
    # The time it was set for before the last move ("continued").
    previous_scheduled_at = models.DateTimeField(null=True, blank=True)
    # Revision counter, raised by every change a service makes (moved, cancelled, held): the
    # calendar feed's SEQUENCE, so a victim's calendar app replaces the copy it holds.
    sequence = models.PositiveIntegerField(default=0)
    # A feed's own id for the event, when it has one (idempotent imports).
    external_id = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=20, default="manual")  # manual, csv, api
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scheduled_at"]
        indexes = [models.Index(fields=["agency", "case", "scheduled_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scheduled_at:%Y-%m-%d %H:%M}"

    @property
    def place(self) -> str:
        return ", ".join(
            p for p in (self.courthouse, self.courtroom and f"courtroom {self.courtroom}") if p
        )


class CustodyEventKind(models.TextChoices):
    ARRESTED = "arrested", _("Arrested")
    CHARGED = "charged", _("Charged")
    RELEASED_ON_BOND = "released_on_bond", _("Released on bond or with conditions")
    NO_CONTACT_ORDER = "no_contact_order", _("No-contact order entered")
    ESCAPED = "escaped", _("Escaped")
    TRANSFERRED = "transferred", _("Transferred")
    RELEASED_FROM_PRISON = "released_from_prison", _("Released from prison or on parole")
    DIED = "died", _("Died")
    INVESTIGATION_REOPENED = "investigation_reopened", _("Investigation reopened (a closed case)")


class CustodyEvent(TenantModel):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    court_case = models.ForeignKey(
        CourtCase, null=True, blank=True, on_delete=models.PROTECT, related_name="custody_events"
    )
    kind = models.CharField(max_length=24, choices=CustodyEventKind.choices)
    occurred_at = models.DateTimeField()
    conditions = models.TextField(blank=True)
    facility = models.CharField(max_length=200, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=20, default="manual")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class OwedBy(models.TextChoices):
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    UNIT = "unit", _("Victim services unit")


class ObligationStatus(models.TextChoices):
    OPEN = "open", _("Open")  # still owed
    HONORED = "honored", _("Honored")  # done (for the prosecutor's: confirmed done)
    WAIVED = "waived", _("Waived")  # the victim declined it, recorded with a reason
    NOT_APPLICABLE = "not_applicable", _("Not applicable")  # the event was cancelled or moved


class HonoredHow(models.TextChoices):
    MESSAGE = "message", _("Message sent")
    PHONE = "phone", _("Phone call")
    IN_PERSON = "in_person", _("In person")
    PROSECUTOR = "prosecutor", _("By the prosecutor")
    AUTOMATED = "automated", _("Automated notification (VINE)")


class RightsObligation(TenantModel):
    """One right one victim is owed because of one event. Created by the event's service in
    its transaction, never twice for the same (event, person, rule) (a constraint)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    court_event = models.ForeignKey(
        CourtEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="obligations"
    )
    custody_event = models.ForeignKey(
        CustodyEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="obligations"
    )
    # A court event moved twice owes notice of each new date: the date is part of the key.
    event_time = models.DateTimeField()
    jurisdiction = models.CharField(max_length=20, choices=Jurisdiction.choices)
    rule_key = models.CharField(max_length=60)
    right = models.CharField(max_length=200)
    citation = models.CharField(max_length=200)
    owed_by = models.CharField(max_length=12, choices=OwedBy.choices)
    on_request = models.BooleanField(default=False)
    template = models.CharField(max_length=40, blank=True)
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=ObligationStatus.choices, default=ObligationStatus.OPEN
    )
    honored_at = models.DateTimeField(null=True, blank=True)
    how = models.CharField(max_length=12, choices=HonoredHow.choices, blank=True)
    by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_label = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["court_event", "person", "rule_key", "event_time"],
                name="justice_obligation_court_once",
            ),
            models.UniqueConstraint(
                fields=["custody_event", "person", "rule_key"],
                name="justice_obligation_custody_once",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.right} for person {self.person_id}"

    @property
    def event(self):
        return self.court_event or self.custody_event

    def is_overdue(self, now=None) -> bool:
        return self.status == ObligationStatus.OPEN and self.due_at < (now or timezone.now())


class JusticeSettings(TenantModel, Versioned):
    """Which rule sets apply to the agency's court cases. Illinois by default; the federal CVRA
    applies only to court cases marked federal, whatever is chosen here, and only if chosen."""

    illinois = models.BooleanField("Illinois rights (725 ILCS 120)", default=True)
    federal_cvra = models.BooleanField("Federal CVRA (18 U.S.C. 3771)", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency"], name="justice_settings_one")]


def _nonce() -> str:
    return secrets.token_urlsafe(12)


class CalendarFeed(TenantModel):
    """A victim's private court calendar: the URL carries a signed (feed id, nonce); revoking
    sets revoked_at and the URL stops working at once."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    nonce = models.CharField(max_length=40, default=_nonce)
    created_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class RightsRequest(TenantModel):
    """A victim on a case asked to be told what some rights give only on request (Illinois:
    725 ILCS 120/4.5; federal: the right to confer). Rules marked on_request yield obligations
    only for people with a request in force when the event is recorded."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="justice_rights_request_once")
        ]
