"""Shortcuts for the assistance tests: the cast's members as actors, the audit events written
since the cast was built, a served relative and an unserved witness on Alice's case."""

from datetime import timedelta

import pytest
from django.db.models import Max
from django.utils import timezone

from haven.assistance.services import service_provide
from haven.audit.models import AuditEvent
from haven.cases.models import Relation
from haven.cases.services import case_add_person
from haven.people.services import person_create

# Roles that may read no case record and change nothing on one.
NON_CASEWORKER_ROLES = ["officer", "analyst", "auditor"]


@pytest.fixture
def alice(cast):
    return cast.actor("advocate")


@pytest.fixture
def bob(cast):
    return cast.actor("advocate2")


@pytest.fixture
def sam(cast):
    return cast.actor("supervisor")


@pytest.fixture
def charlie(cast):
    return cast.actor("other_advocate")


@pytest.fixture
def new_audit_events(cast):
    start = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0

    def events(**filters):
        return list(AuditEvent.objects.filter(id__gt=start, **filters).order_by("id"))

    return events


@pytest.fixture
def sister(cast, alice):
    person = person_create(actor=alice, first_name="Lee", last_name="Reyes")
    case_add_person(actor=alice, case=cast.case_a, person=person, relation=Relation.FAMILY)
    return person


@pytest.fixture
def witness(cast, alice):
    person = person_create(actor=alice, first_name="Wade", last_name="Witt")
    case_add_person(
        actor=alice, case=cast.case_a, person=person, relation=Relation.WITNESS, is_served=False
    )
    return person


@pytest.fixture
def provide(cast):
    """provide(actor, code, ago=...): record a service on Alice's case, `ago` before now."""

    def record(actor, code="C1", *, case=None, ago=timedelta(minutes=30), **extra):
        return service_provide(
            actor=actor,
            case=case or cast.case_a,
            sub_service=code,
            provided_at=timezone.now() - ago,
            **extra,
        )

    return record
