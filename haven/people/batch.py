"""Adding many people at once: the victims an import's outreach rules open cases for.

`people_create_many` writes what `person_create` writes for each, in order (the same rows, the
same blind indexes, one PERSON_CREATE audit event each), with one INSERT for the lot and one
update of the audit chain.
"""

from collections.abc import Mapping, Sequence

from django.db import transaction

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record_many
from haven.core.actor import Actor
from haven.people.models import Person
from haven.people.services import PERSON_FIELDS, _index_person, _validate_person


def people_create_many(*, actor: Actor, people: Sequence[Mapping]) -> list[Person]:
    """Add a person for each mapping of person_create's keyword arguments (first_name,
    last_name and PERSON_FIELDS). Every person is validated before anything is written: one
    that person_create would refuse raises its error and nothing is written."""
    actor.require(Perm.PERSON_EDIT)
    made = []
    for fields in people:
        unknown = set(fields) - set(PERSON_FIELDS)
        if unknown:
            raise TypeError(f"people_create_many got unknown fields: {sorted(unknown)}")
        person = Person(agency=actor.agency, **fields)
        _validate_person(person)
        _index_person(person)
        made.append(person)
    if not made:
        return []
    with transaction.atomic():
        Person.objects.bulk_create(made)
        audit_record_many(
            actor=actor, action=AuditAction.PERSON_CREATE, records=[(p, {}) for p in made]
        )
    return made
