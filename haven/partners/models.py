"""The partner directory in the shape of Open Referral's Human Services Data Specification
(HSDS 3.x): organizations, the services they offer, where and when, in which languages, for
whom. Formal partnerships (MOUs) and their reminders. See docs/partners.md.

Every row that has an HSDS counterpart keeps its HSDS id (`hsds_id`, a UUID) so an exported
package re-imports onto the same rows. Field names follow HSDS where HSDS has the field.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.core.versions import Versioned
from haven.partners import needs


class Organization(TenantModel, Versioned):
    """A partner: a shelter, a counseling center, a legal-aid office, a hospital program."""

    # HSDS `organization.id`: stable across export and re-import.
    hsds_id = models.UUIDField(default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    alternate_name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)
    # The unit lists it on its public help page (haven.public): name, description, main phone
    # and website, nothing about any referral.
    list_on_public_page = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="partner_org_hsds_id"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceStatus(models.TextChoices):
    # HSDS `service.status` values, word for word.
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class Service(TenantModel, Versioned):
    """What an organization offers (HSDS `service`)."""

    hsds_id = models.UUIDField(default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)
    alternate_name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    # Who it is for, in words; ages in years, both ends included.
    eligibility_description = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    fees_description = models.TextField(blank=True)
    # How to refer or apply: what a specialist reads before making a referral.
    application_process = models.TextField(blank=True)
    interpretation_services = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="partner_service_hsds_id"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}: {self.name}"

    @property
    def ages_text(self) -> str:
        low, high = self.minimum_age, self.maximum_age
        if low is None and high is None:
            return ""
        if high is None:
            return f"{low} and older"
        if low is None:
            return f"up to {high}"
        return f"{low} to {high}"


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("A place people go")
    POSTAL = "postal", _("A mailing address")
    VIRTUAL = "virtual", _("Online or by phone")


class Location(TenantModel, Versioned):
    """Where an organization works (HSDS `location`); its address is an `Address` row."""

    hsds_id = models.UUIDField(default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="locations"
    )
    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    transportation = models.TextField(blank=True)
    url = models.URLField(blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="partner_location_hsds_id"),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.organization.name} location"


class Address(TenantModel):
    """A location's street address (HSDS `address`)."""

    hsds_id = models.UUIDField(default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=200)
    address_2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2, default="US")
    address_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="partner_address_hsds_id"),
        ]
        indexes = [
            models.Index(fields=["agency", "city"], name="partner_address_city"),
            models.Index(fields=["agency", "postal_code"], name="partner_address_postal"),
        ]

    def __str__(self) -> str:
        return ", ".join(p for p in [self.address_1, self.city, self.state_province] if p)


class ServiceAtLocation(TenantModel):
    """A service delivered at a location (HSDS `service_at_location`)."""

    hsds_id = models.UUIDField(default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services_here")
    description = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="partner_sal_hsds_id"),
            models.UniqueConstraint(fields=["service", "location"], name="partner_sal_once"),
        ]


class Contact(TenantModel):
    """Someone at the partner who takes referrals (HSDS `contact`): partner staff, never a
    victim."""

    hsds_id = models.UUIDField(default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts"
    )
    # Set when the contact is for one service only.
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    department = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="partner_contact_hsds_id"),
        ]

    def __str__(self) -> str:
        return self.name


class PhoneType(models.TextChoices):
    # RFC 6350 types, as HSDS `phone.type` names them.
    VOICE = "voice", _("Voice")
    TEXT = "text", _("Text (SMS)")
    CELL = "cell", _("Cell")
    FAX = "fax", _("Fax")
    VIDEO = "video", _("Video")
    PAGER = "pager", _("Pager")
    TEXTPHONE = "textphone", _("Textphone (TTY)")


class Phone(TenantModel):
    """A partner's phone number (HSDS `phone`): the organization's, a service's, a location's
    or a contact's. Exactly one owner is set; the organization is always set for scoping."""

    hsds_id = models.UUIDField(default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="phones")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(max_length=40)
    extension = models.CharField(max_length=10, blank=True)
    type = models.CharField(max_length=10, choices=PhoneType.choices, default=PhoneType.VOICE)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="partner_phone_hsds_id"),
        ]

    def __str__(self) -> str:
        return self.number


WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_NAMES = dict(
    zip(WEEKDAY_CODES, ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], strict=True)
)


class Schedule(TenantModel):
    """Opening hours (HSDS `schedule`): a weekly rule, `byday` days from `opens_at` to
    `closes_at` in the agency's local time; or just a description ("24/7 hotline")."""

    hsds_id = models.UUIDField(default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    freq = models.CharField(max_length=10, default="WEEKLY")
    # Comma-separated RFC 5545 day codes: "MO,TU,WE,TH,FR".
    byday = models.CharField(max_length=40, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="partner_schedule_hsds_id"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def days(self) -> list[str]:
        return [d for d in self.byday.split(",") if d]

    @property
    def text(self) -> str:
        """ "Mon-Fri 9:00 AM-5:00 PM", or the description alone."""
        parts = []
        days = self.days
        if days:
            idx = [WEEKDAY_CODES.index(d) for d in days if d in WEEKDAY_CODES]
            if len(idx) > 2 and idx == list(range(idx[0], idx[-1] + 1)):
                parts.append(f"{WEEKDAY_NAMES[days[0]]}–{WEEKDAY_NAMES[days[-1]]}")
            else:
                parts.append(", ".join(WEEKDAY_NAMES.get(d, d) for d in days))
        if self.opens_at and self.closes_at:
            parts.append(
                f"{self.opens_at.strftime('%-I:%M %p')}–{self.closes_at.strftime('%-I:%M %p')}"
            )
        text = " ".join(parts)
        if self.description:
            text = f"{text} ({self.description})" if text else self.description
        return text


class Language(TenantModel):
    """A language a service is delivered in without an interpreter (HSDS `language`)."""

    hsds_id = models.UUIDField(default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    # ISO 639-1 (or 639-3) code, lower case: what search matches on.
    code = models.CharField(max_length=8)
    name = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="partner_language_hsds_id"),
            models.UniqueConstraint(fields=["service", "code"], name="partner_language_once"),
        ]
        indexes = [models.Index(fields=["agency", "code"], name="partner_language_code")]

    def __str__(self) -> str:
        return self.name or self.code


class ServiceArea(TenantModel):
    """Where a service is available (HSDS `service_area`): a city, a county, ZIP codes."""

    hsds_id = models.UUIDField(default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=200)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="partner_area_hsds_id"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceNeed(TenantModel):
    """A need category a service meets (HSDS `attribute` linking the service to a
    `taxonomy_term` of Haven's needs taxonomy; the terms are data, in data/needs.json)."""

    hsds_id = models.UUIDField(default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="needs")
    code = models.CharField(max_length=40, choices=needs.choices())

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="partner_need_hsds_id"),
            models.UniqueConstraint(fields=["service", "code"], name="partner_need_once"),
        ]
        indexes = [models.Index(fields=["agency", "code"], name="partner_need_code")]

    def __str__(self) -> str:
        return self.get_code_display()


class PartnerSettings(TenantModel):
    """One agency's directory settings; a missing row means the defaults."""

    # MOUs ending within this many days are listed as lapsing, and the first reminder goes out
    # this many days before the end.
    lapsing_days = models.PositiveSmallIntegerField(default=60)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="partner_settings_one_per_agency")
        ]
        verbose_name_plural = "partner settings"


class RenewalStatus(models.TextChoices):
    # Nothing decided about what happens when it ends.
    NOT_STARTED = "not_started", _("Renewal not started")
    # Talking with the partner about a new agreement.
    IN_PROGRESS = "in_progress", _("Renewal in progress")
    # A new MOU was signed (record it as its own MOU): no more reminders for this one.
    RENEWED = "renewed", _("Renewed")
    # Deliberately left to end: no more reminders.
    NOT_RENEWING = "not_renewing", _("Not renewing")


class MOU(TenantModel, Versioned):
    """A formal partnership (memorandum of understanding) with a partner organization: in force
    from `starts_on` to `ends_on`, both days included."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="mous")
    title = models.CharField(max_length=200)
    # The services it covers (none: the whole organization).
    services = models.ManyToManyField(Service, blank=True, related_name="mous")
    # What it says about referrals and the data that may be exchanged in principle (each
    # disclosure of a victim's data still needs the victim's own written consent).
    scope = models.TextField(blank=True)
    data_exchange = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    signed_on = models.DateField(null=True, blank=True)
    signed_by_agency = models.CharField(max_length=200, blank=True)
    signed_by_partner = models.CharField(max_length=200, blank=True)
    renewal_status = models.CharField(
        max_length=20, choices=RenewalStatus.choices, default=RenewalStatus.NOT_STARTED
    )
    # Where the signed document is kept: a file number, a path in the records system, a link.
    document_reference = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ends_on", "id"]
        verbose_name = "MOU"
        indexes = [models.Index(fields=["agency", "ends_on"], name="partner_mou_agency_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="partner_mou_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}: {self.title}"

    def in_force_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class MouReminder(TenantModel):
    """A reminder sent for one MOU at one threshold: the row is the claim that makes the
    reminder go out once, whatever runs the task and however often."""

    mou = models.ForeignKey(MOU, on_delete=models.CASCADE, related_name="reminders")
    # Days before the end (60, 14), or LAPSED (-1) for "it has lapsed".
    threshold = models.SmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    LAPSED = -1

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mou", "threshold"], name="partner_mou_reminder_once")
        ]
