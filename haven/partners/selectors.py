"""Reads of the partner directory and the MOUs, for pages, the referrals app and the reminder.

`services_search` is what the referrals app uses from the case page; `mou_in_force` tells
whether a formal partnership covers a day (referrals are allowed without one; the page warns).
Directory reads need partners.view (caseworkers); the directory holds no victim data, so reads
are not audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from haven.agencies.models import Agency
from haven.agencies.roles import Perm
from haven.core.actor import Actor
from haven.partners.models import (
    MOU,
    Address,
    Location,
    Organization,
    PartnerSettings,
    Phone,
    RenewalStatus,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)

DEFAULT_LAPSING_DAYS = PartnerSettings._meta.get_field("lapsing_days").default


def settings_for(agency: Agency) -> PartnerSettings:
    """The agency's settings, or unsaved defaults."""
    return PartnerSettings.objects.filter(agency=agency).first() or PartnerSettings(agency=agency)


def local_today(agency: Agency) -> date:
    return timezone.localtime(timezone.now(), agency.tz).date()


def _service_detail(qs: QuerySet[Service]) -> QuerySet[Service]:
    """Everything a search result or an organization page shows, in a fixed number of queries."""
    return qs.select_related("organization").prefetch_related(
        "needs",
        "languages",
        "areas",
        "schedules",
        Prefetch("phones", queryset=Phone.objects.filter(location=None, contact=None)),
        Prefetch(
            "at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                Prefetch("location__addresses", queryset=Address.objects.order_by("id"))
            ),
        ),
        Prefetch(
            "organization__phones",
            queryset=Phone.objects.filter(service=None, location=None, contact=None),
        ),
        "contacts",
    )


def services_search(
    actor: Actor,
    *,
    need: str | None = None,
    language: str | None = None,
    place: str | None = None,
    text: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[Service]:
    """The agency's partner services matching every filter given, by organization and name.

    need: a need code (data/needs.json: "shelter", "legal_aid", ...). language: an ISO 639 code
    the service is delivered in without an interpreter. place: a city, a ZIP code (or its first
    digits) or a service-area name; a service matches by the address of a location it is
    offered at or by its service areas. text: words found in the service's or organization's
    name, description or eligibility. Only active services of active organizations unless
    include_inactive. Needs partners.view.
    """
    actor.require(Perm.PARTNERS_VIEW)
    qs = Service.objects.filter(agency=actor.agency)
    if not include_inactive:
        qs = qs.filter(status=ServiceStatus.ACTIVE, organization__is_active=True)
    if need:
        qs = qs.filter(needs__code=need)
    if language:
        qs = qs.filter(languages__code=language.strip().lower())
    if place and place.strip():
        place = " ".join(place.split())
        qs = qs.filter(
            Q(at_locations__location__addresses__city__iexact=place)
            | Q(at_locations__location__addresses__postal_code__startswith=place)
            | Q(areas__name__icontains=place)
        )
    for word in (text or "").split()[:8]:
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(alternate_name__icontains=word)
            | Q(description__icontains=word)
            | Q(eligibility_description__icontains=word)
            | Q(organization__name__icontains=word)
            | Q(organization__alternate_name__icontains=word)
        )
    ids = qs.values("pk").distinct()
    return _service_detail(
        Service.objects.filter(agency=actor.agency, pk__in=ids).order_by(
            "organization__name", "name"
        )
    )


def organizations(actor: Actor, *, include_inactive: bool = True) -> QuerySet[Organization]:
    actor.require(Perm.PARTNERS_VIEW)
    qs = Organization.objects.filter(agency=actor.agency)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.prefetch_related("services", "mous").order_by("name")


def organizations_listed_publicly(agency: Agency) -> QuerySet[Organization]:
    """The active partners the agency lists on its public help page (no sign-in: the
    directory holds no victim data), each with `main_phones` (its own phone, not a
    service's or a contact's), by name."""
    main = Phone.objects.filter(service=None, location=None, contact=None).order_by("pk")
    return (
        Organization.objects.filter(agency=agency, is_active=True, list_on_public_page=True)
        .prefetch_related(Prefetch("phones", queryset=main, to_attr="main_phones"))
        .order_by("name")
    )


def organization_services(actor: Actor, organization: Organization) -> QuerySet[Service]:
    actor.require(Perm.PARTNERS_VIEW)
    return _service_detail(
        Service.objects.filter(agency=actor.agency, organization=organization).order_by("name")
    )


def organization_locations(actor: Actor, organization: Organization) -> QuerySet[Location]:
    actor.require(Perm.PARTNERS_VIEW)
    return Location.objects.filter(agency=actor.agency, organization=organization).prefetch_related(
        "addresses"
    )


def mou_in_force(organization: Organization, on: date | None = None) -> MOU | None:
    """The MOU with `organization` in force on `on` (default: today in the agency's zone):
    started on or before it and ending on or after it. With several, the one ending last.
    None when there is none: referrals are still allowed, the page shows the warning."""
    on = on or local_today(organization.agency)
    return (
        MOU.objects.filter(
            agency_id=organization.agency_id,
            organization=organization,
            starts_on__lte=on,
            ends_on__gte=on,
        )
        .order_by("-ends_on", "-id")
        .first()
    )


def mous_in_force_by_org(agency: Agency, on: date) -> dict[int, MOU]:
    """Organization id -> the MOU in force on `on` (the one ending last), in one query."""
    found: dict[int, MOU] = {}
    for mou in MOU.objects.filter(agency=agency, starts_on__lte=on, ends_on__gte=on).order_by(
        "ends_on", "id"
    ):
        found[mou.organization_id] = mou
    return found


@dataclass(frozen=True)
class MouRow:
    mou: MOU
    days_left: int  # negative once lapsed
    in_force: bool
    lapsing: bool  # in force and ending within the agency's lapsing days

    @property
    def state(self) -> str:
        if self.days_left < 0:
            return "lapsed"
        if not self.in_force:
            return "not yet in force"
        return "lapsing" if self.lapsing else "in force"


def mou_rows(actor: Actor, *, lapsing_only: bool = False, on: date | None = None) -> list[MouRow]:
    """Every MOU of the agency with its state on `on` (today); lapsing_only: those in force and
    ending within the agency's lapsing days, soonest first."""
    actor.require(Perm.PARTNERS_VIEW)
    on = on or local_today(actor.agency)
    window = settings_for(actor.agency).lapsing_days
    qs = MOU.objects.filter(agency=actor.agency).select_related("organization")
    qs = qs.prefetch_related("services")
    if lapsing_only:
        qs = qs.filter(starts_on__lte=on, ends_on__gte=on, ends_on__lte=on + timedelta(days=window))
    rows = []
    for mou in qs.order_by("ends_on", "organization__name"):
        days_left = (mou.ends_on - on).days
        in_force = mou.in_force_on(on)
        rows.append(
            MouRow(
                mou=mou,
                days_left=days_left,
                in_force=in_force,
                lapsing=in_force and days_left <= window,
            )
        )
    return rows


def reminder_threshold(days_left: int, first: int) -> int | None:
    """The reminder a day calls for: `first` (the agency's lapsing days) when 15..first days
    are left, 14 from 14 days left to the last day, LAPSED (-1) from the day after the end; None
    before the first threshold. Pure, so the boundaries are tested directly."""
    if days_left < 0:
        return -1
    if days_left <= 14:
        return 14
    if days_left <= first:
        return first
    return None


def mous_for_reminders(agency: Agency, on: date) -> QuerySet[MOU]:
    """MOUs that may need a reminder on `on`: ending within the lapsing window or lapsed within
    the last 30 days, and neither renewed nor deliberately left to end."""
    window = settings_for(agency).lapsing_days
    return (
        MOU.objects.filter(
            agency=agency,
            ends_on__lte=on + timedelta(days=window),
            ends_on__gte=on - timedelta(days=30),
        )
        .exclude(renewal_status__in=[RenewalStatus.RENEWED, RenewalStatus.NOT_RENEWING])
        .select_related("organization")
        .order_by("ends_on", "id")
    )
