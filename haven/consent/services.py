"""Recording and revoking releases of information, and the agency's consent settings.

The rules (docs/consent.md has each with its source): a release is informed, written (on paper
or by an electronic signature in Haven), time-limited (always an expiry, never longer than the
agency's maximum), names one recipient, its purposes and data categories; a minor's release is
signed by a parent, guardian or legal representative (with the minor's own agreement from the
agency's assent age) unless the minor is emancipated; the signer is never the alleged offender.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to
from haven.consent import events
from haven.consent.models import (
    MAX_DAYS_CEILING,
    MIN_DAYS,
    ConsentMethod,
    ConsentSettings,
    DataCategory,
    Purpose,
    ReleaseOfInformation,
    RevocationMethod,
    SignerRelation,
)
from haven.consent.selectors import person_on_case, settings_for
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.people.models import Person

ADULT_AGE = 18
TEXT_LIMIT = 2000


def age_on(person: Person, day: date) -> int | None:
    """The person's age in whole years on `day`: by date of birth, else the reported age;
    None when neither is known."""
    dob = person.date_of_birth
    if dob is not None:
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
    return person.age_reported


def is_minor(person: Person, day: date) -> bool:
    age = age_on(person, day)
    return age is not None and age < ADULT_AGE


def end_of_day(day: date, agency) -> datetime:
    """The last moment of `day` in the agency's time zone: a release "until 3 Nov" holds all
    of 3 Nov where the agency is."""
    start = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=agency.tz)
    return start - timedelta(microseconds=1)


def proposed_expiry(agency, *, signed: date | None = None) -> date:
    """The expiry date the form proposes: the agency's default term from the signing day."""
    signed = signed or timezone.localdate(timezone=agency.tz)
    return signed + timedelta(days=settings_for(agency).default_days)


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


# long: one release's validation (HIPAA/VAWA elements) in order, then one audited write
def release_record(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    purposes: list[str],
    categories: list[str],
    method: str,
    expires_on: date,
    informed_confirmed: bool,
    recipient_organization=None,
    recipient_name: str = "",
    recipient_description: str = "",
    signed_on: date | None = None,
    signer_relation: str = SignerRelation.SELF,
    signer_name: str = "",
    signer_not_offender_confirmed: bool = False,
    minor_assent: bool | None = None,
    minor_emancipated: bool = False,
    esign_typed_name: str = "",
    notes: str = "",
) -> ReleaseOfInformation:
    """Record a release the person (or their parent, guardian or representative) signed.

    On paper: `signed_on` is the day on the form (today or earlier). By electronic signature:
    the signer types their full name in Haven now; the moment and the device's IP are kept.
    The release holds until the end of `expires_on` in the agency's time zone.

    Refused without case.work, for a case outside the actor's caseload or another agency's,
    for someone not on the case, on an ended case, and for every broken rule, each with a
    message saying what to fix.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    actor.require_own(person)
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("That case is outside your caseload.")
    if person_on_case(case, person.pk) is None:
        raise ValidationError(
            {"person": f"{person.full_name} is not the victim or someone this case serves."}
        )
    if not case.is_open:
        raise ValidationError(gettext("This case has ended. Reopen it to record a release."))
    agency = actor.agency
    conf = settings_for(agency)
    now = timezone.now()
    today = timezone.localdate(now, timezone=agency.tz)
    recipient_name = " ".join((recipient_name or "").split())
    recipient_description = (recipient_description or "").strip()
    signer_name = " ".join((signer_name or "").split())
    notes = (notes or "").strip()
    errors: dict[str, str] = {}

    if recipient_organization is not None and recipient_name:
        errors["recipient_name"] = (
            "Name one recipient: a partner from the directory, or a named recipient, not both."
        )
    elif recipient_organization is None and not recipient_name:
        errors["recipient_name"] = (
            "Name the recipient: choose a partner from the directory or type the recipient's "
            "name exactly as written on the release."
        )
    if recipient_organization is not None and recipient_organization.agency_id != agency.pk:
        errors["recipient_organization"] = "Choose a partner from your agency's directory."

    purposes = [p for p in Purpose.values if p in set(purposes or [])]
    unknown = set(purposes or []) - set(Purpose.values)
    if not purposes or unknown:
        errors["purposes"] = "Tick at least one purpose the person agreed to."
    categories = [c for c in DataCategory.values if c in set(categories or [])]
    if not categories:
        errors["categories"] = "Tick at least one kind of information the person agreed to share."

    if not informed_confirmed:
        errors["informed_confirmed"] = (
            "Confirm you told the person what will be shared, with whom, why, for how long, and "
            "that services never depend on signing."
        )

    if method == ConsentMethod.ESIGNATURE:
        signed_on = today
        signed_at = now
    elif method == ConsentMethod.PAPER:
        if signed_on is None:
            errors["signed_on"] = "Enter the day the release was signed, as written on the form."
            # Checked on as if signed today, so the other fields' errors show at once.
            signed_on, signed_at = today, now
        elif signed_on > today:
            errors["signed_on"] = "The signing day cannot be in the future."
            signed_at = now
        else:
            signed_at = now if signed_on == today else end_of_day(signed_on, agency)
    else:
        errors["method"] = "Choose how the release was signed: on paper or electronically."
        signed_on, signed_at = today, now

    if expires_on is None:
        errors["expires_on"] = (
            f"Every release needs an expiry date (the agency proposes {conf.default_days} days)."
        )
    elif expires_on <= today:
        errors["expires_on"] = "The expiry date must be after today."
    elif (expires_on - signed_on).days > conf.max_days:
        errors["expires_on"] = (
            f"A release may last at most {conf.max_days} days: choose "
            f"{signed_on + timedelta(days=conf.max_days):%b %d, %Y} or earlier."
        )

    # Who signs: the person, or for a minor (unless emancipated) a parent, guardian or
    # representative, never the alleged offender.
    if signer_relation not in SignerRelation.values:
        errors["signer_relation"] = "Choose who signed."
    minor = is_minor(person, signed_on)
    age = age_on(person, signed_on)
    if minor_emancipated and not minor:
        minor_emancipated = False
    if signer_relation == SignerRelation.SELF:
        signer_name = ""
        if minor and not minor_emancipated:
            errors["signer_relation"] = (
                f"{person.full_name} is {age}: a parent, guardian or legal representative must "
                "sign (or record that the minor is emancipated)."
            )
    else:
        if not signer_name:
            errors["signer_name"] = "Enter the full name of the parent, guardian or representative."
        if signer_relation == SignerRelation.PARENT and not minor:
            errors["signer_relation"] = (
                f"{person.full_name} is an adult: they sign themself, or a guardian or legal "
                "representative does."
            )
        if not signer_not_offender_confirmed:
            errors["signer_not_offender_confirmed"] = (
                "Confirm the person signing is not the alleged offender."
            )
    asks_assent = conf.minor_assent_age is not None and minor and not minor_emancipated
    if asks_assent and age >= conf.minor_assent_age and not minor_assent:
        errors["minor_assent"] = (
            f"{person.full_name} is {age}: record that they agreed too (your agency asks "
            f"minors from age {conf.minor_assent_age})."
        )
    if not minor:
        minor_assent = None

    esign_typed_name = " ".join((esign_typed_name or "").split())
    if method == ConsentMethod.ESIGNATURE:
        expected = signer_name or person.full_name
        full = " ".join(
            part for part in (person.first_name, person.middle_name, person.last_name) if part
        )
        names = [expected] if signer_name else [person.full_name, full]
        if not esign_typed_name:
            errors["esign_typed_name"] = "The signer types their full name to sign."
        elif not any(_same_name(esign_typed_name, name) for name in names):
            errors["esign_typed_name"] = (
                f"The typed name must be the signer's full name ({expected})."
            )
    else:
        esign_typed_name = ""
    for key, text in (("notes", notes), ("recipient_description", recipient_description)):
        if len(text) > TEXT_LIMIT:
            errors[key] = f"Keep this to {TEXT_LIMIT} characters (it has {len(text)})."
    if errors:
        raise ValidationError(errors)

    release = ReleaseOfInformation(
        agency=agency,
        person=person,
        case=case,
        recipient_organization=recipient_organization,
        recipient_name="" if recipient_organization is not None else recipient_name,
        recipient_description=recipient_description,
        purposes=purposes,
        categories=categories,
        method=method,
        esign_typed_name=esign_typed_name,
        esign_at=now if method == ConsentMethod.ESIGNATURE else None,
        esign_ip=actor.ip if method == ConsentMethod.ESIGNATURE else None,
        signer_relation=signer_relation,
        signer_name=signer_name,
        minor_assent=minor_assent,
        minor_emancipated=minor_emancipated,
        signer_not_offender_confirmed=signer_not_offender_confirmed,
        informed_confirmed=True,
        signed_at=signed_at,
        expires_at=end_of_day(expires_on, agency),
        notes=notes,
        recorded_by=actor.membership,
        created_at=now,
    )
    release.full_clean()
    with transaction.atomic():
        release.save(force_insert=True)
        events.release_recorded(actor, release)
        audit_record(
            actor=actor,
            action=AuditAction.CONSENT_RECORD,
            obj=release,
            details={
                "case": case.pk,
                "person": person.pk,
                "recipient": release.recipient_label,
                "purposes": purposes,
                "categories": categories,
                "method": method,
                "signer": signer_relation,
                "expires": expires_on.isoformat(),
            },
        )
    return release


def release_revoke(
    *, actor: Actor, release: ReleaseOfInformation, method: str, reason: str
) -> ReleaseOfInformation:
    """Revoke a release: it stops covering anything at once. The person may revoke at any time,
    for any reason; `reason` records what they said (or "asked to revoke")."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(release)
    reason = (reason or "").strip()
    errors = {}
    if method not in RevocationMethod.values:
        errors["method"] = "Choose how the person revoked it: in writing, spoken or by message."
    if not reason:
        errors["reason"] = "Write what the person said (a few words are enough)."
    elif len(reason) > TEXT_LIMIT:
        errors["reason"] = f"Keep the reason to {TEXT_LIMIT} characters (it has {len(reason)})."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        # Conditional: two specialists revoking at once record one revocation.
        claimed = ReleaseOfInformation.objects.filter(
            pk=release.pk, agency=actor.agency, revoked_at__isnull=True
        ).update(
            revoked_at=now,
            revoked_by=actor.membership,
            revocation_method=method,
            revocation_reason=reason,
        )
        if not claimed:
            raise ValidationError(gettext("This release was already revoked."))
        release.refresh_from_db()
        events.release_revoked(actor, release)
        audit_record(
            actor=actor,
            action=AuditAction.CONSENT_REVOKE,
            obj=release,
            details={
                "case": release.case_id,
                "person": release.person_id,
                "recipient": release.recipient_label,
                "method": method,
            },
        )
    return release


CONSENT_SETTINGS_FIELDS = ("default_days", "max_days", "minor_assent_age", "expiring_window_days")


def consent_settings_save(
    *,
    actor: Actor,
    default_days: int,
    max_days: int,
    minor_assent_age: int | None,
    expiring_window_days: int,
    version: int | None = None,
) -> ConsentSettings:
    """Change the agency's release terms, within sane bounds. Refused (StaleEdit, nothing
    written) when the settings were saved since `version`."""
    actor.require(Perm.AGENCY_CONFIGURE)
    errors = {}
    if not MIN_DAYS <= max_days <= MAX_DAYS_CEILING:
        errors["max_days"] = (
            f"The longest term must be between {MIN_DAYS} and {MAX_DAYS_CEILING} days."
        )
    if not MIN_DAYS <= default_days <= max(max_days, MIN_DAYS):
        errors["default_days"] = (
            "The proposed term must be at least 1 day and no longer than the longest term."
        )
    if minor_assent_age is not None and not 7 <= minor_assent_age <= 17:
        errors["minor_assent_age"] = (
            "Ask minors for their agreement from an age between 7 and 17, or never."
        )
    if not 1 <= expiring_window_days <= 90:
        errors["expiring_window_days"] = "Look ahead between 1 and 90 days."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        conf = settings_for(actor.agency)
        check_version(conf, version)
        conf.default_days = default_days
        conf.max_days = max_days
        conf.minor_assent_age = minor_assent_age
        conf.expiring_window_days = expiring_window_days
        conf.updated_by = actor.membership
        conf.updated_at = timezone.now()
        conf.full_clean(validate_constraints=False)
        save_versioned(
            conf, version=version, fields=[*CONSENT_SETTINGS_FIELDS, "updated_by", "updated_at"]
        )
        audit_record(
            actor=actor,
            action=AuditAction.CONSENT_SETTINGS,
            obj=conf,
            details={
                "default_days": default_days,
                "max_days": max_days,
                "minor_assent_age": minor_assent_age,
                "expiring_window_days": expiring_window_days,
            },
        )
    return conf
