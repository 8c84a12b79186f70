"""Shortcuts for the assistance tests: a served relative and an unserved witness on Alice's
case, and recording a service some time ago."""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.assistance.services import service_provide
from haven.cases.models import Relation
from haven.cases.services import case_add_person
from haven.people.services import person_create

# Roles that may read no case record and change nothing on one.
NON_CASEWORKER_ROLES = ["officer", "analyst", "auditor"]


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
