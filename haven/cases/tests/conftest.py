"""Shortcuts for the cases tests: each member of the fixed cast as an acting Actor, and the
audit events written after the cast was built."""

import pytest
from django.db.models import Max

from haven.audit.models import AuditEvent

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
def cora(cast):
    return cast.actor("coordinator")


@pytest.fixture
def charlie(cast):
    return cast.actor("other_advocate")


@pytest.fixture
def new_audit_events(cast):
    """new_audit_events(**filters): the audit events written since the cast was built, oldest
    first, so a test sees only what the code under test wrote."""
    start = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0

    def events(**filters):
        return list(AuditEvent.objects.filter(id__gt=start, **filters).order_by("id"))

    return events


@pytest.fixture
def row_counts(cast):
    """row_counts(): how many rows each table a case service writes to holds, to show that a
    refused or failed service left nothing behind."""
    from haven.agencies.models import Agency
    from haven.cases.models import (
        Assignment,
        Case,
        CaseEvent,
        CasePerson,
        CaseVictimization,
        Contact,
        Note,
        Task,
    )
    from haven.people.models import ContactPoint, Person

    tracked = [
        Case,
        CaseVictimization,
        Assignment,
        CaseEvent,
        CasePerson,
        Contact,
        Note,
        Task,
        Person,
        ContactPoint,
        AuditEvent,
    ]

    def counts():
        rows = {model.__name__: model.objects.count() for model in tracked}
        rows["case numbers handed out"] = sorted(
            Agency.objects.values_list("last_case_number", flat=True)
        )
        return rows

    return counts
