from datetime import date

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.people_access import people_visible_to
from haven.core.actor import Actor
from haven.lib.crypto import normalize_email
from haven.lib.phones import normalize_phone
from haven.people.models import ContactKind, ContactPoint, Person
from haven.people.services import contact_value_index, name_dob_index


def people_matching(
    actor: Actor,
    *,
    phone: str = "",
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
) -> list[Person]:
    """Exact-match look-up through the blind indexes: a phone, an email, or name + birth date.

    Audited as a search, naming which keys were used (never their values).
    """
    keys = []
    people = people_visible_to(actor)
    indexes = []
    if phone:
        keys.append("phone")
        indexes.append(contact_value_index(ContactKind.PHONE, normalize_phone(phone)))
    if email:
        keys.append("email")
        indexes.append(contact_value_index(ContactKind.EMAIL, normalize_email(email)))
    found: dict[int, Person] = {}
    if indexes:
        person_ids = ContactPoint.objects.filter(
            agency=actor.agency, value_index__in=indexes
        ).values("person_id")
        for person in people.filter(pk__in=person_ids):
            found[person.pk] = person
    if first_name and last_name and date_of_birth:
        keys.append("name_dob")
        for person in people.filter(
            name_dob_index=name_dob_index(first_name, last_name, date_of_birth)
        ):
            found[person.pk] = person
    if not keys:
        return []
    audit_record(
        actor=actor,
        action=AuditAction.PERSON_SEARCH,
        object_type="people.person",
        details={"keys": keys, "found": sorted(found)},
    )
    return sorted(found.values(), key=lambda p: (p.last_name, p.first_name, p.pk))
