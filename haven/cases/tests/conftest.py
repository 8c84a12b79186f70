"""Shortcuts for the cases tests (the cast's members as actors, new_audit_events and
smtp_inbox are in the root conftest.py, for every app)."""

import pytest

from haven.audit.models import AuditEvent

# Roles that may read no case record and change nothing on one.
NON_CASEWORKER_ROLES = ["officer", "analyst", "auditor"]


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


@pytest.fixture
def on_call(cast):
    """Alice is on call, with a phone and an email."""
    alice = cast.advocate
    alice.user.email = "alice@riverside.example"
    alice.user.save(update_fields=["email"])
    from haven.agencies.models import Agency

    Agency.objects.filter(pk=cast.agency_a.pk).update(on_call=alice, phone="312-555-0100")
    return alice
