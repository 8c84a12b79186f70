"""Changes to people and their contact points. Each takes the acting staff member, checks the
permission, validates, writes the audit event, and runs in one transaction."""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.lib.crypto import blind_index, normalize_email
from haven.lib.phones import normalize_phone
from haven.people.indexes import alias_indexes, person_indexes
from haven.people.models import ContactKind, ContactPoint, Person, PersonAlias


def contact_value_index(kind: str, normalized_value: str) -> str:
    if kind == ContactKind.ADDRESS:
        return ""
    return blind_index(kind, normalized_value)


def normalize_contact_value(kind: str, value: str) -> str:
    """The stored form of a contact value, or a ValidationError saying what to fix."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({"value": gettext("Enter the phone number, email or address.")})
    if kind == ContactKind.PHONE:
        try:
            return normalize_phone(value)
        except ValidationError as exc:
            raise ValidationError({"value": exc.messages}) from None
    if kind == ContactKind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError({"value": f"{value!r} is not an email address."}) from None
        return normalize_email(value)
    if kind == ContactKind.ADDRESS:
        return value
    raise ValidationError({"kind": f"Unknown kind of contact point {kind!r}."})


PERSON_FIELDS = (
    "first_name",
    "middle_name",
    "last_name",
    "preferred_name",
    "pronouns",
    "date_of_birth",
    "age_reported",
    "age_band",
    "preferred_language",
    "interpreter_needed",
    "race_ethnicity",
    "gender_identity",
    "special_classifications",
)


def person_create(*, actor: Actor, first_name: str, last_name: str, **fields) -> Person:
    """Add a person to the agency. Refused without person.edit; unknown fields are an error."""
    actor.require(Perm.PERSON_EDIT)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_create got unknown fields: {sorted(unknown)}")
    person = Person(agency=actor.agency, first_name=first_name, last_name=last_name, **fields)
    _validate_person(person)
    _index_person(person)
    with transaction.atomic():
        person.save(force_insert=True)
        audit_record(actor=actor, action=AuditAction.PERSON_CREATE, obj=person)
    return person


def person_update(*, actor: Actor, person: Person, version: int | None = None, **fields) -> Person:
    """Change a person's details; the audit event lists which fields changed (not their values).
    Refused (StaleEdit, nothing written) if the person was saved since `version`."""
    actor.require(Perm.PERSON_EDIT)
    actor.require_own(person)
    check_version(person, version)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update got unknown fields: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(person, name) != value]
    if not changed:
        return person
    for name in changed:
        setattr(person, name, fields[name])
    _validate_person(person)
    indexes = _index_person(person)
    with transaction.atomic():
        save_versioned(person, version=version, fields=[*changed, *indexes])
        audit_record(
            actor=actor,
            action=AuditAction.PERSON_UPDATE,
            obj=person,
            details={"fields": sorted(changed)},
        )
    return person


def _validate_person(person: Person) -> None:
    person.first_name = person.first_name.strip()
    person.last_name = person.last_name.strip()
    errors = {}
    if not person.first_name:
        errors["first_name"] = "Enter a first name (or 'Unknown')."
    if not person.last_name:
        errors["last_name"] = "Enter a last name (or 'Unknown')."
    if person.date_of_birth and person.date_of_birth > date.today():
        errors["date_of_birth"] = "The date of birth is in the future."
    if errors:
        raise ValidationError(errors)
    person.full_clean(exclude=["agency", *person_indexes("", "", None)])


def _index_person(person: Person) -> list[str]:
    """Set the person's blind indexes from their name and birth date; returns the fields."""
    indexes = person_indexes(person.first_name, person.last_name, person.date_of_birth)
    for name, digest in indexes.items():
        setattr(person, name, digest)
    return list(indexes)


def person_alias_add(
    *, actor: Actor, person: Person, first_name: str, last_name: str
) -> PersonAlias:
    """Record another name the person is known by (a maiden name, a nickname, a misspelling on
    a report), indexed so a search by that name finds them. Refused without person.edit."""
    actor.require(Perm.PERSON_EDIT)
    actor.require_own(person)
    alias = PersonAlias(
        agency=person.agency,
        person=person,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    if not alias.last_name:
        raise ValidationError({"last_name": gettext("Enter the last name the person is known by.")})
    alias.full_clean(exclude=["agency", "person", *alias_indexes("", "")])
    for name, digest in alias_indexes(alias.first_name, alias.last_name).items():
        setattr(alias, name, digest)
    with transaction.atomic():
        alias.save(force_insert=True)
        audit_record(
            actor=actor,
            action=AuditAction.PERSON_UPDATE,
            obj=person,
            details={"fields": ["aliases"], "alias": alias.pk},
        )
    return alias


# long: a contact point's safe-contact rules validated together before one audited write
def contact_point_add(
    *,
    actor: Actor,
    person: Person,
    kind: str,
    value: str,
    label: str = "",
    is_primary: bool = False,
    ok_to_contact: bool = True,
    ok_voicemail: bool = False,
    ok_text: bool = False,
    ok_mail: bool = False,
    safe_from: time | None = None,
    safe_until: time | None = None,
    safety_note: str = "",
) -> ContactPoint:
    """Add a phone, email or address with its safe-contact rules.

    Refused without person.edit; a malformed phone or email is a ValidationError naming it.
    """
    actor.require(Perm.PERSON_EDIT)
    actor.require_own(person)
    normalized = normalize_contact_value(kind, value)
    if (safe_from is None) != (safe_until is None):
        raise ValidationError(
            {"safe_until": gettext("Give both ends of the safe hours, or neither (any time).")}
        )
    label = label.strip()
    limit = ContactPoint._meta.get_field("label").max_length
    if len(label) > limit:
        # SQLite would keep it all and PostgreSQL refuse the insert: say what to fix instead.
        raise ValidationError({"label": f"Keep the label to {limit} characters."})
    point = ContactPoint(
        agency=actor.agency,
        person=person,
        kind=kind,
        value=normalized,
        value_index=contact_value_index(kind, normalized),
        label=label,
        is_primary=is_primary,
        ok_to_contact=ok_to_contact,
        ok_voicemail=ok_voicemail,
        ok_text=ok_text,
        ok_mail=ok_mail,
        safe_from=safe_from,
        safe_until=safe_until,
        safety_note=safety_note,
    )
    with transaction.atomic():
        if is_primary:
            ContactPoint.objects.filter(person=person, kind=kind, is_primary=True).update(
                is_primary=False
            )
        point.save(force_insert=True)
        audit_record(
            actor=actor,
            action=AuditAction.CONTACT_POINT_ADD,
            obj=point,
            details={"person": person.pk, "kind": kind},
        )
    return point


def contact_point_set_safety(
    *,
    actor: Actor,
    point: ContactPoint,
    ok_text: bool | None = None,
    ok_mail: bool | None = None,
    safe_from: time | None = None,
    safe_until: time | None = None,
) -> list[str]:
    """Change when and how a contact point may be used (the victim's own choice on their status
    page, or staff). Returns the fields changed. Both ends of the safe hours, or neither;
    texting only on a phone, mail only on an email or address."""
    actor.require(Perm.PERSON_EDIT)
    actor.require_own(point)
    if (safe_from is None) != (safe_until is None):
        raise ValidationError(
            {"safe_until": gettext("Give both ends of the safe hours, or neither (any time).")}
        )
    wanted = {"safe_from": safe_from, "safe_until": safe_until}
    if ok_text is not None and point.kind == ContactKind.PHONE:
        wanted["ok_text"] = ok_text
    if ok_mail is not None and point.kind != ContactKind.PHONE:
        wanted["ok_mail"] = ok_mail
    changed = [name for name, value in wanted.items() if getattr(point, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(point, name, wanted[name])
    with transaction.atomic():
        point.save(update_fields=changed)
        audit_record(
            actor=actor,
            action=AuditAction.CONTACT_POINT_SAFETY,
            obj=point,
            details={"person": point.person_id, "fields": sorted(changed)},
        )
    return changed
