"""Adding many people at once writes what adding them one by one writes."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from haven.audit.models import AuditAction, AuditEvent
from haven.people.batch import people_create_many
from haven.people.models import Person
from haven.people.services import person_create

pytestmark = pytest.mark.django_db

PEOPLE = [
    {"first_name": " Luz ", "last_name": "Morales", "date_of_birth": date(1988, 2, 11)},
    {"first_name": "Unknown", "last_name": "victim, report RV-1", "age_reported": 34},
]
STORED = (
    "first_name", "last_name", "date_of_birth", "age_reported", "name_index", "name_dob_index",
    "last_name_index", "sounds_like_index",
)  # fmt: skip


def stored(people):
    return [tuple(getattr(p, f) for f in STORED) for p in people]


def test_it_writes_the_same_people_and_audit_events_as_person_create(cast, sam):
    single = [person_create(actor=sam, **fields) for fields in PEOPLE]

    many = people_create_many(actor=sam, people=PEOPLE)

    fresh = Person.objects.filter(pk__in=[p.pk for p in many]).order_by("pk")
    assert stored(fresh) == stored(single)
    events = list(AuditEvent.objects.filter(object_type="people.person").order_by("seq"))[-4:]
    described = [(e.action, e.details, e.actor_label, e.role, e.ip) for e in events]
    assert described[2:] == described[:2]
    assert described[0][0] == AuditAction.PERSON_CREATE
    assert [e.object_id for e in events] == [str(p.pk) for p in [*single, *many]]


def test_one_bad_person_refuses_the_lot(cast, sam):
    before = Person.objects.count()

    with pytest.raises(ValidationError):
        people_create_many(actor=sam, people=[PEOPLE[0], {"first_name": "", "last_name": "X"}])
    with pytest.raises(TypeError):
        people_create_many(actor=sam, people=[{**PEOPLE[0], "ssn": "1"}])

    assert Person.objects.count() == before
