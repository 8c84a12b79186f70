from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from haven.assistance.models import ServiceProvided
from haven.assistance.services import service_provide
from haven.assistance.tests.conftest import NON_CASEWORKER_ROLES
from haven.audit.models import AuditAction
from haven.audit.selectors import verify_chain
from haven.cases.models import CaseEvent, CaseEventKind
from haven.cases.services import case_change_status
from haven.lib.crypto import TOKEN_PREFIX
from haven.people.services import person_create


def counts():
    return (
        ServiceProvided.objects.count(),
        CaseEvent.objects.filter(kind=CaseEventKind.SERVICE_PROVIDED).count(),
    )


def test_a_service_for_the_victim_is_recorded_with_its_timeline_line_and_audit_event(
    cast, alice, provide, new_audit_events
):
    service = provide(alice, "C1", duration_minutes=25, note="  Safety plan reviewed.  ")

    service = ServiceProvided.objects.get(pk=service.pk)
    assert service.case == cast.case_a
    assert service.agency == cast.agency_a
    assert service.person == cast.victim_a
    assert (service.category, service.sub_service) == ("C", "C1")
    assert service.duration_minutes == 25
    assert service.note == "Safety plan reviewed."
    assert service.provided_by == cast.advocate
    assert service.removed_at is None
    event = CaseEvent.objects.get(case=cast.case_a, kind=CaseEventKind.SERVICE_PROVIDED)
    assert event.at == service.provided_at
    assert event.actor == cast.advocate
    assert event.data == {
        "summary": "Emotional support or safety services: "
        "Crisis intervention (in-person, includes safety planning, etc.)"
    }
    [audit] = new_audit_events(action=AuditAction.SERVICE_PROVIDE)
    assert audit.object_type == "assistance.serviceprovided"
    assert audit.object_id == str(service.pk)
    assert audit.details == {
        "case": cast.case_a.pk,
        "person": cast.victim_a.pk,
        "sub_service": "C1",
    }
    assert verify_chain(str(cast.agency_a.pk))[1] is None


def test_the_note_stays_out_of_the_timeline_the_audit_log_and_the_database_in_clear(
    cast, alice, provide, new_audit_events
):
    service = provide(alice, "A4", note="Referred to the shelter on Elm St.")

    event = CaseEvent.objects.get(case=cast.case_a, kind=CaseEventKind.SERVICE_PROVIDED)
    assert "Elm" not in str(event.data)
    assert all("Elm" not in str(a.details) + a.reason for a in new_audit_events())
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM assistance_serviceprovided WHERE id = %s", [service.pk])
        [raw] = cursor.fetchone()
    assert "Elm" not in raw and raw.startswith(TOKEN_PREFIX)


def test_without_a_time_or_person_the_service_is_for_the_victim_now(cast, alice):
    before = timezone.now()

    service = service_provide(actor=alice, case=cast.case_a, sub_service="A1")

    service.refresh_from_db()
    assert before <= service.provided_at <= timezone.now()
    assert service.person == cast.victim_a
    assert service.category == "A"


def test_a_category_given_with_its_sub_service_is_accepted(cast, alice):
    service = service_provide(actor=alice, case=cast.case_a, category="E", sub_service="E10")

    assert ServiceProvided.objects.get(pk=service.pk).category == "E"


def test_an_unknown_sub_service_is_refused_with_the_codes_to_choose_from(cast, alice):
    before = counts()

    with pytest.raises(ValidationError) as refused:
        service_provide(actor=alice, case=cast.case_a, sub_service="Z9")

    [message] = refused.value.message_dict["sub_service"]
    assert message.startswith("Unknown service 'Z9': choose one of the PMT services (A1, A2")
    assert "E11" in message
    assert counts() == before


def test_an_unknown_category_is_refused(cast, alice):
    before = counts()

    with pytest.raises(ValidationError) as refused:
        service_provide(actor=alice, case=cast.case_a, category="F", sub_service="C1")

    assert refused.value.message_dict["category"] == [
        "Unknown service category 'F': choose one of A, B, C, D, E."
    ]
    assert counts() == before


def test_a_sub_service_outside_the_category_given_is_refused(cast, alice):
    with pytest.raises(ValidationError) as refused:
        service_provide(actor=alice, case=cast.case_a, category="A", sub_service="C1")

    [message] = refused.value.message_dict["sub_service"]
    assert "is in category C, not A" in message
    assert not ServiceProvided.objects.exists()


def test_a_service_for_a_relative_the_case_serves_is_recorded(cast, alice, provide, sister):
    service = provide(alice, "C4", person=sister)

    assert ServiceProvided.objects.get(pk=service.pk).person == sister


def test_a_person_not_on_the_case_is_refused(cast, alice, provide):
    stranger = person_create(actor=alice, first_name="Sol", last_name="Stranger")
    before = counts()

    with pytest.raises(ValidationError) as refused:
        provide(alice, "C1", person=stranger)

    assert refused.value.message_dict["person"] == [
        "That person is not on this case: choose the victim or someone the case serves."
    ]
    assert counts() == before


def test_a_person_on_the_case_but_not_served_by_it_is_refused(cast, alice, provide, witness):
    with pytest.raises(ValidationError) as refused:
        provide(alice, "C1", person=witness)

    assert "Wade Witt is on this case but not served by it" in str(refused.value)
    assert not ServiceProvided.objects.exists()


def test_another_agencys_person_is_refused(cast, alice, provide):
    with pytest.raises(ValidationError) as refused:
        provide(alice, "C1", person=cast.case_b.primary_victim)

    assert "person" in refused.value.message_dict
    assert not ServiceProvided.objects.exists()


def test_a_time_in_the_future_is_refused(cast, alice, provide):
    before = counts()

    with pytest.raises(ValidationError) as refused:
        provide(alice, "C1", ago=-timedelta(hours=1))

    assert refused.value.message_dict["provided_at"] == [
        "That time is in the future: give the time the service was given."
    ]
    assert counts() == before


def test_a_phone_clock_a_few_minutes_fast_is_allowed(cast, alice, provide):
    service = provide(alice, "C1", ago=-timedelta(minutes=2))

    assert ServiceProvided.objects.filter(pk=service.pk).exists()


def test_a_service_hours_before_the_case_was_received_is_allowed(cast, alice, provide):
    # The on-scene response comes before the referral is entered: the cast's case was
    # received three hours ago.
    service = provide(alice, "C3", ago=timedelta(hours=10))

    assert ServiceProvided.objects.filter(pk=service.pk).exists()


def test_a_time_long_before_the_case_was_received_is_refused_saying_what_to_check(
    cast, alice, provide
):
    cast.case_a.received_at = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)
    cast.case_a.save(update_fields=["received_at"])

    with pytest.raises(ValidationError) as refused:
        service_provide(
            actor=alice,
            case=cast.case_a,
            sub_service="C1",
            provided_at=datetime(2026, 3, 1, 16, 0, tzinfo=UTC),
        )

    assert refused.value.message_dict["provided_at"] == [
        "That is more than a day before this case was received (Mar 3, 2026 10:00 AM): check "
        "the date, or record the service on the case it belongs to."
    ]
    assert not ServiceProvided.objects.exists()


def test_on_an_ended_case_a_service_given_before_it_ended_is_recorded(cast, alice, provide):
    case_change_status(actor=alice, case=cast.case_a, status="closed", reason="Services ended")

    service = provide(alice, "A1", ago=timedelta(minutes=30))

    assert ServiceProvided.objects.filter(pk=service.pk).exists()


def test_on_an_ended_case_a_service_after_it_ended_is_refused_saying_to_reopen(cast, alice):
    case_change_status(actor=alice, case=cast.case_a, status="closed", reason="Services ended")
    cast.case_a.closed_at = timezone.now() - timedelta(hours=1)
    cast.case_a.save(update_fields=["closed_at"])

    with pytest.raises(ValidationError) as refused:
        service_provide(actor=alice, case=cast.case_a, sub_service="C1")

    [message] = refused.value.message_dict["provided_at"]
    assert message.startswith("This case ended on ")
    assert message.endswith(
        ": record only services given before then, or reopen the case to record later ones."
    )
    assert not ServiceProvided.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"duration_minutes": 1441}, "duration_minutes"), ({"note": "x" * 501}, "note")],
)
def test_too_many_minutes_or_too_long_a_note_is_refused(cast, alice, provide, extra, field):
    with pytest.raises(ValidationError) as refused:
        provide(alice, "C1", **extra)

    assert field in refused.value.message_dict
    assert not ServiceProvided.objects.exists()


def test_a_double_tap_is_refused_but_the_same_service_at_another_time_is_recorded(
    cast, alice, provide
):
    provide(alice, "C1", ago=timedelta(0))

    with pytest.raises(ValidationError) as refused:
        provide(alice, "C1", ago=timedelta(0))
    assert refused.value.message_dict["sub_service"] == [
        "Crisis intervention (in-person, includes safety planning, etc.) was just recorded for "
        "Dana Reyes. To record it a second time, give a different time."
    ]
    assert ServiceProvided.objects.count() == 1

    provide(alice, "C1", ago=timedelta(hours=1))
    assert ServiceProvided.objects.count() == 2


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_roles_that_do_not_work_cases_are_refused(cast, provide, role):
    before = counts()

    with pytest.raises(PermissionDenied):
        provide(cast.actor(role), "C1")

    assert counts() == before


def test_another_agencys_case_is_refused(cast, charlie, provide):
    with pytest.raises(PermissionDenied):
        provide(charlie, "C1")

    assert not ServiceProvided.objects.exists()
