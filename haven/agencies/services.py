"""Changes to an agency's own settings, districts and team (coordinators: agency.configure)."""

from dataclasses import dataclass, fields
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from haven.agencies.models import Agency, District, Membership, validate_time_zone
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned

GOAL_HOURS_MAX = 24 * 14


@dataclass
class AgencySettings:
    time_zone: str
    first_contact_goal_hours: int
    advocates_see_own_caseload_only: bool
    closure_review_required: bool
    dv_hotline_name: str = ""
    dv_hotline_phone: str = ""
    dv_hotline_hours: str = ""
    state_hotline_name: str = ""
    state_hotline_phone: str = ""
    state_hotline_hours: str = ""


HOTLINE_PHONES = ("dv_hotline_phone", "state_hotline_phone")


def agency_settings_update(
    *, actor: Actor, settings: AgencySettings, version: int | None = None
) -> Agency:
    """Change how the agency works; the audit event names the settings changed. Refused
    (StaleEdit, nothing written) when the settings were saved since `version`."""
    actor.require(Perm.AGENCY_CONFIGURE)
    errors = {}
    try:
        validate_time_zone(settings.time_zone)
    except ValidationError as exc:
        errors["time_zone"] = exc.messages
    if not 1 <= settings.first_contact_goal_hours <= GOAL_HOURS_MAX:
        errors["first_contact_goal_hours"] = f"Give a number of hours from 1 to {GOAL_HOURS_MAX}."
    for name in HOTLINE_PHONES:
        value = (getattr(settings, name) or "").strip()
        setattr(settings, name, value)
        digits = sum(c.isdigit() for c in value)
        if value and (digits < 3 or digits > 15 or any(c.isalpha() for c in value)):
            errors[name] = "Give the number as it is dialed, e.g. (800) 799-7233 or 988."
    for name in (
        "dv_hotline_name",
        "dv_hotline_hours",
        "state_hotline_name",
        "state_hotline_hours",
    ):
        setattr(settings, name, (getattr(settings, name) or "").strip())
    for prefix in ("dv", "state"):
        if not getattr(settings, f"{prefix}_hotline_phone") and (
            getattr(settings, f"{prefix}_hotline_hours")
        ):
            errors[f"{prefix}_hotline_phone"] = "Give the hotline's number with its hours."
    if errors:
        raise ValidationError(errors)
    agency = Agency.objects.get(pk=actor.agency.pk)
    check_version(agency, version)
    changed = [
        f.name
        for f in fields(AgencySettings)
        if getattr(agency, f.name) != getattr(settings, f.name)
    ]
    if not changed:
        return agency
    with transaction.atomic():
        for name in changed:
            setattr(agency, name, getattr(settings, name))
        save_versioned(agency, version=version, fields=changed)
        audit_record(
            actor=actor, action=AuditAction.AGENCY_SETTINGS, obj=agency, details={"fields": changed}
        )
    return agency


def agency_quick_exit_set(*, actor: Actor, url: str) -> Agency:
    """Choose the neutral page the quick exit leaves for. Refused without agency.configure;
    an address that is not a full http(s) address, or that is Haven itself, is refused (the
    exit must leave the site)."""
    actor.require(Perm.AGENCY_CONFIGURE)
    url = (url or "").strip()
    error = "Give a full address of a neutral site, e.g. https://www.google.com/search?q=weather"
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        raise ValidationError({"quick_exit_url": error}) from None
    own_host = urlsplit(django_settings.SITE_URL).hostname
    if urlsplit(url).hostname == own_host:
        raise ValidationError({"quick_exit_url": gettext("Choose a site other than Haven itself.")})
    agency = Agency.objects.get(pk=actor.agency.pk)
    if agency.quick_exit_url == url:
        return agency
    with transaction.atomic():
        agency.quick_exit_url = url
        agency.save(update_fields=["quick_exit_url"])
        audit_record(
            actor=actor,
            action=AuditAction.AGENCY_SETTINGS,
            obj=agency,
            details={"fields": ["quick_exit_url"]},
        )
    return agency


def district_save(
    *, actor: Actor, code: str, name: str, district: District | None = None
) -> District:
    """Add a district (district=None) or rename one. Codes are as the records system writes
    them ("011"); an import matches "11" to "011" too."""
    actor.require(Perm.AGENCY_CONFIGURE)
    if district is not None:
        actor.require_own(district)
    code, name = code.strip(), name.strip()
    errors = {}
    if not code:
        errors["code"] = "Give the district's code as the police reports write it, e.g. 011."
    elif len(code) > 20:
        errors["code"] = "Keep the code to 20 characters."
    if not name:
        errors["name"] = "Give the district's name."
    elif len(name) > 100:
        errors["name"] = "Keep the name to 100 characters."
    if errors:
        raise ValidationError(errors)
    district = district or District(agency=actor.agency)
    creating = district.pk is None
    district.code, district.name = code, name
    try:
        with transaction.atomic():
            district.save()
            audit_record(
                actor=actor,
                action=AuditAction.DISTRICT_SAVE,
                obj=district,
                details={"created": creating},
            )
    except IntegrityError:
        raise ValidationError({"code": f"There is already a district {code}."}) from None
    return district


def membership_set_district(
    *, actor: Actor, member: Membership, district: District | None
) -> Membership:
    """Say which district a specialist serves: outreach cases of that district go to them
    first (outreach.decisions, outreach.queue)."""
    actor.require(Perm.AGENCY_CONFIGURE)
    actor.require_own(member)
    if district is not None and district.agency_id != actor.agency.pk:
        raise ValidationError({"district": gettext("Choose a district of this agency.")})
    if member.district_id == (district.pk if district else None):
        return member
    with transaction.atomic():
        member.district = district
        member.save(update_fields=["district"])
        audit_record(
            actor=actor,
            action=AuditAction.MEMBER_DISTRICT,
            obj=member,
            details={"district": district.pk if district else None},
        )
    return member
