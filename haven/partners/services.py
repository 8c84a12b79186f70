"""Changes to the partner directory and to MOUs. Every one needs partners.manage (coordinators),
runs in one transaction, validates with the model's rules (a ValidationError naming the field)
and writes its audit event (which fields changed, never their values: directory rows are not
secret, but the log stays small and uniform).

Directory rows are never deleted through the UI: an organization or a service that stops is
marked inactive (a referral may point at it). Details that are lists (opening hours, contacts,
languages, need categories, service areas, where a service is offered) are added and removed.
"""
# long: the partner directory's writes, one service per object (organization, service, MOU)

from __future__ import annotations

import re
from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.core.versions import check_version, lock_version, save_versioned
from haven.lib.phones import normalize_phone
from haven.partners import needs as needs_data
from haven.partners.models import (
    MOU,
    WEEKDAY_CODES,
    Address,
    Contact,
    Language,
    Location,
    Organization,
    PartnerSettings,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceNeed,
)
from haven.people.models import LANGUAGES

LANGUAGE_NAMES = dict(LANGUAGES)
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
SHORT_NUMBER = re.compile(r"^[2-9]11$|^988$")

ORG_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "email",
    "website",
    "is_active",
    "list_on_public_page",
)
SERVICE_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "fees_description",
    "application_process",
    "interpretation_services",
)
LOCATION_FIELDS = ("name", "location_type", "description", "transportation", "url")
ADDRESS_FIELDS = ("address_1", "address_2", "city", "state_province", "postal_code")
MOU_FIELDS = (
    "title",
    "scope",
    "data_exchange",
    "starts_on",
    "ends_on",
    "signed_on",
    "signed_by_agency",
    "signed_by_partner",
    "renewal_status",
    "document_reference",
)


def partner_phone(raw: str) -> str:
    """A partner's phone as stored: E.164, or a three-digit line (211, 988). ValidationError
    with what to fix otherwise."""
    raw = (raw or "").strip()
    if SHORT_NUMBER.match(raw):
        return raw
    return normalize_phone(raw)


def language_code(raw: str) -> str:
    code = (raw or "").strip().lower()
    if not LANGUAGE_CODE.match(code):
        raise ValidationError(f"{raw!r} is not a language code: use ISO 639 (en, es, pl, yue).")
    return code


def _apply(obj, fields: dict, allowed: tuple[str, ...]) -> list[str]:
    """Set the allowed fields that differ; return the names changed. Strings are stripped."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    changed = []
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _check_ages(service: Service) -> None:
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None and low > high:
        raise ValidationError(
            {"maximum_age": gettext("The maximum age must not be below the minimum.")}
        )


def _own(actor: Actor, *records) -> None:
    for record in records:
        if record is not None:
            actor.require_own(record)


# --- organizations -------------------------------------------------------------------------


def _audit_saved(
    actor: Actor,
    action: AuditAction,
    row: Service | Location | MOU,
    *,
    organization: Organization,
    created: bool,
    changed: list[str],
    **more,
) -> None:
    """Audit an organization's service, location or MOU made or changed, naming the fields."""
    details = {"created": created, "organization": organization.pk, "fields": sorted(changed)}
    audit_record(actor=actor, action=action, obj=row, details=details | more)


def organization_save(
    *,
    actor: Actor,
    organization: Organization | None = None,
    phone: str | None = None,
    version: int | None = None,
    **fields,
) -> Organization:
    """Add an organization (organization=None) or change one: name (required), alternate name,
    description, email, website, active. `phone` (optional) is its main phone: set, replaced or
    removed (""). Refused without partners.manage, for another agency's organization, and when
    the organization was saved since `version` (StaleEdit, nothing written)."""
    actor.require(Perm.PARTNERS_MANAGE)
    _own(actor, organization)
    if organization is not None:
        check_version(organization, version)
    with transaction.atomic():
        created = organization is None
        if not created:
            lock_version(organization, version)
        org = organization or Organization(agency=actor.agency)
        changed = _apply(org, fields, ORG_FIELDS)
        org.full_clean(exclude=["agency"])
        if created:
            org.save()
        if phone is not None and _main_phone_set(org, phone):
            changed.append("phone")
        if not created and changed:
            # last, so a stale save rolls the phone back with it
            save_versioned(org, version=version, fields=[f for f in changed if f in ORG_FIELDS])
        if created or changed:
            audit_record(
                actor=actor,
                action=AuditAction.PARTNER_ORG_SAVE,
                obj=org,
                details={"created": created, "fields": sorted(changed)},
            )
    return org


def _main_phone_set(owner_org: Organization, raw: str, service: Service | None = None) -> bool:
    """Set the organization's (or a service's) first phone to `raw`; "" removes it. Returns
    whether anything changed."""
    current = Phone.objects.filter(
        organization=owner_org, service=service, location=None, contact=None
    ).first()
    raw = (raw or "").strip()
    if not raw:
        if current is None:
            return False
        current.delete()
        return True
    try:
        number = partner_phone(raw)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    if current is None:
        Phone.objects.create(
            agency=owner_org.agency, organization=owner_org, service=service, number=number
        )
        return True
    if current.number == number:
        return False
    current.number = number
    current.save(update_fields=["number"])
    return True


# --- services ------------------------------------------------------------------------------


# long: one service with its hours, languages, areas and needs saved together in one transaction
def service_save(
    *,
    actor: Actor,
    organization: Organization,
    service: Service | None = None,
    needs: list[str] | None = None,
    languages: list[str] | None = None,
    areas: list[str] | None = None,
    locations: list[Location] | None = None,
    phone: str | None = None,
    version: int | None = None,
    **fields,
) -> Service:
    """Add a service to `organization` (service=None) or change one. `needs` (need codes),
    `languages` (ISO 639 codes), `areas` (service area names), `locations` (the organization's
    locations it is offered at) and `phone` replace what the service had, when given.

    Refused (StaleEdit, nothing written) when the service was saved since `version`;
    refused without partners.manage, for another agency's rows, and for a location of another
    organization. ValidationError naming the field: a missing name, a bad status, ages the wrong
    way round, an unknown need or a malformed language code.
    """
    actor.require(Perm.PARTNERS_MANAGE)
    _own(actor, organization, service, *(locations or []))
    if service is not None and service.organization_id != organization.pk:
        raise ValidationError(gettext("This service belongs to another organization."))
    errors = {}
    if needs is not None:
        valid = dict(needs_data.choices())
        bad = [n for n in needs if n not in valid]
        if bad:
            errors["needs"] = f"Unknown need categories: {', '.join(bad)}."
    if languages is not None:
        try:
            languages = sorted({language_code(code) for code in languages})
        except ValidationError as exc:
            errors["languages"] = exc.messages
    if locations is not None and any(loc.organization_id != organization.pk for loc in locations):
        errors["locations"] = "Choose locations of this organization."
    if errors:
        raise ValidationError(errors)
    if service is not None:
        check_version(service, version)
    with transaction.atomic():
        created = service is None
        if not created:
            lock_version(service, version)
        svc = service or Service(agency=actor.agency, organization=organization)
        changed = _apply(svc, fields, SERVICE_FIELDS)
        svc.full_clean(exclude=["agency", "organization"])
        _check_ages(svc)
        own = list(changed)
        if created:
            svc.save()
        if needs is not None and _sync_needs(svc, needs):
            changed.append("needs")
        if languages is not None and _sync_languages(svc, languages):
            changed.append("languages")
        if areas is not None and _sync_areas(svc, areas):
            changed.append("areas")
        if locations is not None and _sync_locations(svc, locations):
            changed.append("locations")
        if phone is not None and _main_phone_set(organization, phone, service=svc):
            changed.append("phone")
        if not created and changed:
            # last, so a stale save rolls the needs, languages, areas and phone back with it
            save_versioned(svc, version=version, fields=own)
        if created or changed:
            _audit_saved(
                actor,
                AuditAction.PARTNER_SERVICE_SAVE,
                svc,
                organization=organization,
                created=created,
                changed=changed,
            )
    return svc


def _sync_needs(svc: Service, codes: list[str]) -> bool:
    have = set(svc.needs.values_list("code", flat=True))
    want = set(codes)
    svc.needs.filter(code__in=have - want).delete()
    for code in sorted(want - have):
        ServiceNeed.objects.create(agency=svc.agency, service=svc, code=code)
    return have != want


def _sync_languages(svc: Service, codes: list[str]) -> bool:
    have = set(svc.languages.values_list("code", flat=True))
    want = set(codes)
    svc.languages.filter(code__in=have - want).delete()
    for code in sorted(want - have):
        Language.objects.create(
            agency=svc.agency, service=svc, code=code, name=LANGUAGE_NAMES.get(code, "")
        )
    return have != want


def _sync_areas(svc: Service, names: list[str]) -> bool:
    want = {" ".join(n.split()) for n in names if n.strip()}
    have = set(svc.areas.values_list("name", flat=True))
    svc.areas.filter(name__in=have - want).delete()
    for name in sorted(want - have):
        if len(name) > 200:
            raise ValidationError({"areas": gettext("Keep each service area to 200 characters.")})
        ServiceArea.objects.create(agency=svc.agency, service=svc, name=name)
    return have != want


def _sync_locations(svc: Service, locations: list[Location]) -> bool:
    have = set(svc.at_locations.values_list("location_id", flat=True))
    want = {loc.pk for loc in locations}
    svc.at_locations.filter(location_id__in=have - want).delete()
    for loc_id in sorted(want - have):
        ServiceAtLocation.objects.create(agency=svc.agency, service=svc, location_id=loc_id)
    return have != want


# --- locations -----------------------------------------------------------------------------


def location_save(
    *,
    actor: Actor,
    organization: Organization,
    location: Location | None = None,
    address: dict | None = None,
    version: int | None = None,
    **fields,
) -> Location:
    """Add a location to `organization` or change one, with its street address (`address`:
    address_1, address_2, city, state_province, postal_code; all empty removes it; a virtual
    location needs none). Refused without partners.manage, for another agency's rows, and when
    the location was saved since `version` (StaleEdit, nothing written). ValidationError naming
    the field: a partial address (street, city, state and ZIP code are all needed), a bad URL."""
    actor.require(Perm.PARTNERS_MANAGE)
    _own(actor, organization, location)
    if location is not None and location.organization_id != organization.pk:
        raise ValidationError(gettext("This location belongs to another organization."))
    if location is not None:
        check_version(location, version)
    with transaction.atomic():
        created = location is None
        if not created:
            lock_version(location, version)  # its address is rewritten beside it
        loc = location or Location(agency=actor.agency, organization=organization)
        changed = _apply(loc, fields, LOCATION_FIELDS)
        loc.full_clean(exclude=["agency", "organization"])
        if created:
            loc.save()
        if address is not None and _address_set(loc, address):
            changed.append("address")
        if not created and changed:
            fields_changed = [f for f in changed if f in LOCATION_FIELDS]
            save_versioned(loc, version=version, fields=[*fields_changed, "updated_at"])
        if created or changed:
            _audit_saved(
                actor,
                AuditAction.PARTNER_LOCATION_SAVE,
                loc,
                organization=organization,
                created=created,
                changed=changed,
            )
    return loc


def _address_set(loc: Location, values: dict) -> bool:
    values = {k: (values.get(k) or "").strip() for k in ADDRESS_FIELDS}
    current = loc.addresses.first()
    if not any(values.values()):
        if current is None:
            return False
        current.delete()
        return True
    missing = {
        k: "Needed for an address."
        for k in ("address_1", "city", "state_province", "postal_code")
        if not values[k]
    }
    if missing:
        raise ValidationError(missing)
    addr = current or Address(agency=loc.agency, location=loc)
    changed = _apply(addr, values, ADDRESS_FIELDS)
    addr.address_type = loc.location_type
    addr.full_clean(exclude=["agency", "location"])
    if current is None or changed:
        addr.save()
    return current is None or bool(changed)


# --- opening hours and contacts ------------------------------------------------------------


def schedule_add(
    *,
    actor: Actor,
    service: Service,
    days: list[str],
    opens_at: time | None,
    closes_at: time | None,
    description: str = "",
) -> Schedule:
    """Add opening hours to a service: on `days` (MO..SU) from `opens_at` to `closes_at` (the
    agency's local time), or a description alone ("24 hours, every day"). ValidationError
    naming the field: no days and no description, a bad day, one time without the other, a
    closing time not after the opening time."""
    actor.require(Perm.PARTNERS_MANAGE)
    _own(actor, service)
    description = " ".join((description or "").split())
    errors = {}
    bad = [d for d in days if d not in WEEKDAY_CODES]
    if bad:
        errors["days"] = f"Unknown days: {', '.join(bad)}."
    if not days and not description:
        errors["days"] = "Choose the days, or describe the hours."
    if (opens_at is None) != (closes_at is None):
        errors["closes_at"] = "Give both the opening and the closing time, or neither."
    elif opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = "The closing time must be after the opening time."
    if len(description) > 300:
        errors["description"] = "Keep the description to 300 characters."
    if errors:
        raise ValidationError(errors)
    ordered = [d for d in WEEKDAY_CODES if d in days]
    with transaction.atomic():
        schedule = Schedule.objects.create(
            agency=actor.agency,
            service=service,
            byday=",".join(ordered),
            opens_at=opens_at,
            closes_at=closes_at,
            description=description,
        )
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_DETAIL_SAVE,
            obj=schedule,
            details={"service": service.pk, "added": "schedule"},
        )
    return schedule


def _detail_remove(actor: Actor, row: Schedule | Contact, details: dict) -> None:
    """Delete a service's opening hours or a partner's contact, audited as a partner detail."""
    actor.require(Perm.PARTNERS_MANAGE)
    _own(actor, row)
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.PARTNER_DETAIL_SAVE, obj=row, details=details)
        row.delete()


def schedule_remove(*, actor: Actor, schedule: Schedule) -> None:
    _detail_remove(actor, schedule, {"service": schedule.service_id, "removed": "schedule"})


def contact_add(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    title: str = "",
    email: str = "",
    phone: str = "",
    service: Service | None = None,
) -> Contact:
    """Add a person at the partner who takes referrals (partner staff). ValidationError naming
    the field: no name, a bad email or phone, a service of another organization."""
    actor.require(Perm.PARTNERS_MANAGE)
    _own(actor, organization, service)
    if service is not None and service.organization_id != organization.pk:
        raise ValidationError({"service": gettext("Choose a service of this organization.")})
    with transaction.atomic():
        contact = Contact(
            agency=actor.agency,
            organization=organization,
            service=service,
            name=" ".join(name.split()),
            title=title.strip(),
            email=email.strip(),
        )
        contact.full_clean(exclude=["agency", "organization", "service"])
        contact.save()
        if phone.strip():
            try:
                number = partner_phone(phone)
            except ValidationError as exc:
                raise ValidationError({"phone": exc.messages}) from None
            Phone.objects.create(
                agency=actor.agency, organization=organization, contact=contact, number=number
            )
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_DETAIL_SAVE,
            obj=contact,
            details={"organization": organization.pk, "added": "contact"},
        )
    return contact


def contact_remove(*, actor: Actor, contact: Contact) -> None:
    _detail_remove(actor, contact, {"organization": contact.organization_id, "removed": "contact"})


# --- MOUs ----------------------------------------------------------------------------------


def mou_save(
    *,
    actor: Actor,
    organization: Organization,
    mou: MOU | None = None,
    services: list[Service] | None = None,
    version: int | None = None,
    **fields,
) -> MOU:
    """Record an MOU with `organization` (mou=None) or change one: title, scope, what data may
    be exchanged in principle, start and end dates (both included), signed on and by whom,
    renewal status, where the signed document is kept; `services` it covers (none: the whole
    organization). Refused without partners.manage, for another agency's rows, and when the MOU
    was saved since `version` (StaleEdit, nothing written). ValidationError naming the field:
    no title, an end before the start, a service of another organization. Changing the end
    date lets the reminders run again for the new end."""
    actor.require(Perm.PARTNERS_MANAGE)
    _own(actor, organization, mou, *(services or []))
    if mou is not None and mou.organization_id != organization.pk:
        raise ValidationError(gettext("This MOU belongs to another organization."))
    if services is not None and any(s.organization_id != organization.pk for s in services):
        raise ValidationError({"services": gettext("Choose services of this organization.")})
    if mou is not None:
        check_version(mou, version)
    with transaction.atomic():
        created = mou is None
        if not created:
            lock_version(mou, version)  # the services it covers are rewritten beside it
        record = mou or MOU(agency=actor.agency, organization=organization)
        old_end = None if created else record.ends_on
        changed = _apply(record, fields, MOU_FIELDS)
        if record.starts_on and record.ends_on and record.ends_on < record.starts_on:
            raise ValidationError({"ends_on": gettext("The MOU must end on or after its start.")})
        record.full_clean(exclude=["agency", "organization"])
        if created:
            record.save()
        if services is not None and _mou_services_set(record, services):
            changed.append("services")
        if not created and changed:
            fields_changed = [f for f in changed if f in MOU_FIELDS]
            save_versioned(record, version=version, fields=[*fields_changed, "updated_at"])
        if old_end is not None and record.ends_on != old_end:
            # A new end date is a new lapse: its reminders are due again.
            record.reminders.all().delete()
        if created or changed:
            _audit_saved(
                actor,
                AuditAction.MOU_SAVE,
                record,
                organization=organization,
                created=created,
                changed=changed,
                ends_on=record.ends_on.isoformat(),
            )
    return record


def _mou_services_set(mou: MOU, services: list[Service]) -> bool:
    """Make `services` the ones the MOU covers; whether that changed them."""
    have = set(mou.services.values_list("pk", flat=True))
    if have == {s.pk for s in services}:
        return False
    mou.services.set(services)
    return True


def partner_settings_save(*, actor: Actor, lapsing_days: int) -> PartnerSettings:
    """How many days before its end an MOU counts as lapsing (and the first reminder goes out):
    between 15 and 365 (the second reminder is always 14 days before)."""
    actor.require(Perm.PARTNERS_MANAGE)
    if not 15 <= lapsing_days <= 365:
        raise ValidationError({"lapsing_days": gettext("Choose between 15 and 365 days.")})
    with transaction.atomic():
        settings, _ = PartnerSettings.objects.get_or_create(agency=actor.agency)
        if settings.lapsing_days != lapsing_days:
            old = settings.lapsing_days
            settings.lapsing_days = lapsing_days
            settings.save(update_fields=["lapsing_days", "updated_at"])
            audit_record(
                actor=actor,
                action=AuditAction.PARTNER_SETTINGS,
                obj=settings,
                details={"lapsing_days": [old, lapsing_days]},
            )
    return settings
