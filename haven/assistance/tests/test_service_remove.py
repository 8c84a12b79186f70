from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haven.assistance.models import ServiceProvided
from haven.assistance.selectors import services_for_case
from haven.assistance.services import service_remove
from haven.assistance.tests.conftest import NON_CASEWORKER_ROLES
from haven.audit.models import AuditAction
from haven.cases.models import CaseEvent


@pytest.fixture
def entry(alice, provide):
    return provide(alice, "A3")


def recorded_days_ago(service, days):
    ServiceProvided.objects.filter(pk=service.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )
    service.refresh_from_db()
    return service


def test_the_recorder_removes_their_entry_within_a_day_with_a_reason(
    cast, alice, entry, new_audit_events
):
    service_remove(actor=alice, service=entry, reason="  Wrong case  ")

    entry.refresh_from_db()
    assert entry.removed_at is not None
    assert entry.removed_by == cast.advocate
    assert entry.removal_reason == "Wrong case"
    event = CaseEvent.objects.get(case=cast.case_a, kind="service_removed")
    assert event.data == {
        "summary": "Information & referral: Referral to other victim service programs"
    }
    assert event.actor == cast.advocate
    [audit] = new_audit_events(action=AuditAction.SERVICE_REMOVE)
    assert audit.object_id == str(entry.pk)
    assert audit.reason == "Wrong case"
    assert audit.details == {"case": cast.case_a.pk, "sub_service": "A3"}
    assert list(services_for_case(alice, cast.case_a)) == []


def test_the_recorder_may_not_remove_it_after_a_day(cast, alice, entry, new_audit_events):
    entry = recorded_days_ago(entry, 2)

    with pytest.raises(PermissionDenied):
        service_remove(actor=alice, service=entry, reason="Wrong case")

    assert ServiceProvided.objects.get(pk=entry.pk).removed_at is None
    assert new_audit_events(action=AuditAction.SERVICE_REMOVE) == []


def test_another_advocate_may_not_remove_it(cast, bob, entry):
    with pytest.raises(PermissionDenied):
        service_remove(actor=bob, service=entry, reason="Wrong case")

    assert ServiceProvided.objects.get(pk=entry.pk).removed_at is None


def test_a_supervisor_removes_an_older_entry(cast, sam, entry):
    entry = recorded_days_ago(entry, 30)

    service_remove(actor=sam, service=entry, reason="Entered twice")

    entry.refresh_from_db()
    assert entry.removed_by == cast.supervisor and entry.removed_at is not None


def test_a_reason_is_required(cast, alice, entry, new_audit_events):
    with pytest.raises(ValidationError) as refused:
        service_remove(actor=alice, service=entry, reason="  ")

    assert "reason" in refused.value.message_dict
    assert ServiceProvided.objects.get(pk=entry.pk).removed_at is None
    assert new_audit_events() == []


def test_an_entry_is_removed_only_once(cast, alice, sam, entry):
    service_remove(actor=alice, service=entry, reason="Wrong case")

    with pytest.raises(ValidationError):
        service_remove(actor=sam, service=entry, reason="Again")

    assert ServiceProvided.objects.get(pk=entry.pk).removed_by == cast.advocate
    assert CaseEvent.objects.filter(kind="service_removed").count() == 1


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_roles_that_do_not_work_cases_may_not_remove(cast, entry, role):
    with pytest.raises(PermissionDenied):
        service_remove(actor=cast.actor(role), service=entry, reason="Probe")

    assert ServiceProvided.objects.get(pk=entry.pk).removed_at is None


def test_another_agency_may_not_remove(cast, charlie, entry):
    with pytest.raises(PermissionDenied):
        service_remove(actor=charlie, service=entry, reason="Probe")

    assert ServiceProvided.objects.get(pk=entry.pk).removed_at is None
