from datetime import date

from django.db.models import Q

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.people_access import people_visible_to
from haven.core.actor import Actor
from haven.lib.crypto import normalize_email
from haven.lib.phones import normalize_phone
from haven.people.indexes import last_name_index, name_index
from haven.people.models import ContactKind, ContactPoint, Person, PersonAlias
from haven.people.services import contact_value_index


def people_matching(
    actor: Actor,
    *,
    phone: str = "",
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
) -> list[Person]:
    """Exact-match look-up through the blind indexes: a phone, an email, a first and last name
    (with a birth date, only people born that day), or a last name alone. Names are matched
    after normalizing case, accents, punctuation and spaces, on the legal name and on every
    alias; never a part of a name: the database holds names only as ciphertext and digests.

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
    by_name = {}
    if last_name:
        if first_name:
            keys.append("name_dob" if date_of_birth else "name")
            by_name = {"name_index": name_index(first_name, last_name)}
        else:
            keys.append("last_name")
            by_name = {"last_name_index": last_name_index(last_name)}
    if any(by_name.values()):
        also_known_as = PersonAlias.objects.filter(agency=actor.agency, **by_name).values(
            "person_id"
        )
        for person in people.filter(Q(**by_name) | Q(pk__in=also_known_as)):
            # The birth date narrows a name; it is compared once decrypted.
            if date_of_birth is None or person.date_of_birth == date_of_birth:
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
