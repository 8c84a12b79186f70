from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.audit.selectors import verify_chain
from haven.cases.models import Case, CaseEventKind, CaseStatus, Contact, Relation
from haven.cases.services import case_add_person, case_change_status, contact_log, contacts
from haven.cases.tests.conftest import NON_CASEWORKER_ROLES
from haven.people.services import person_create


def log(actor, case, *, ago=timedelta(minutes=30), **extra):
    fields = {
        "outcome": "completed",
        "channel": "phone",
        "direction": "outbound",
        "occurred_at": timezone.now() - ago,
    } | extra
    return contact_log(actor=actor, case=case, **fields)


@pytest.fixture
def sister(cast, alice):
    person = person_create(actor=alice, first_name="Lee", last_name="Reyes")
    case_add_person(actor=alice, case=cast.case_a, person=person, relation=Relation.FAMILY)
    return person


def test_the_first_completed_contact_with_the_victim_makes_the_case_active(
    cast, alice, new_audit_events
):
    case = cast.case_a
    assert case.status == CaseStatus.NEW and case.first_contact_at is None

    contact = log(alice, case, summary="  Safety plan reviewed.  ", duration_minutes=20)

    contact = Contact.objects.get(pk=contact.pk)
    assert contact.case == case
    assert contact.person is None
    assert contact.outcome == "completed"
    assert contact.summary == "Safety plan reviewed."
    assert contact.duration_minutes == 20
    assert contact.logged_by == cast.advocate
    case.refresh_from_db()
    assert case.first_contact_at == contact.occurred_at
    assert case.status == CaseStatus.ACTIVE
    assert case.status_reason == "First contact made"
    logged = case.events.get(kind=CaseEventKind.CONTACT_LOGGED, contact=contact)
    assert logged.at == contact.occurred_at
    assert logged.actor == cast.advocate
    status = case.events.get(kind=CaseEventKind.STATUS_CHANGED)
    assert status.data == {"from": "New", "to": "Active", "reason": "First contact made"}
    [audit] = new_audit_events(action=AuditAction.CONTACT_LOG)
    assert audit.object_type == "cases.contact"
    assert audit.object_id == str(contact.pk)
    assert audit.details == {"case": case.pk, "outcome": "completed", "channel": "phone"}
    [status_audit] = new_audit_events(action=AuditAction.CASE_STATUS)
    assert status_audit.object_id == str(case.pk)
    assert status_audit.details == {"from": "new", "to": "active"}
    assert verify_chain(str(cast.agency_a.pk))[1] is None


def test_the_contact_summary_stays_out_of_the_timeline_and_the_audit_log(
    cast, alice, new_audit_events
):
    contact = log(alice, cast.case_a, summary="She is staying at her aunt's on Elm St.")

    event = cast.case_a.events.get(contact=contact)
    assert "Elm" not in str(event.data)
    assert all("Elm" not in str(a.details) + a.reason for a in new_audit_events())


def test_an_attempt_does_not_count_as_first_contact(cast, alice, new_audit_events):
    log(alice, cast.case_a, outcome="attempted", attempt_result="no_answer")

    case = Case.objects.get(pk=cast.case_a.pk)
    assert case.first_contact_at is None
    assert case.status == CaseStatus.NEW
    assert not case.events.filter(kind=CaseEventKind.STATUS_CHANGED).exists()
    assert [a.action for a in new_audit_events()] == [AuditAction.CONTACT_LOG]


def test_a_completed_contact_with_a_relative_is_not_first_contact_with_the_victim(
    cast, alice, sister
):
    contact = log(alice, cast.case_a, person=sister)

    assert Contact.objects.get(pk=contact.pk).person == sister
    case = Case.objects.get(pk=cast.case_a.pk)
    assert case.first_contact_at is None
    assert case.status == CaseStatus.NEW


def test_naming_the_victim_as_the_person_counts_as_contact_with_the_victim(cast, alice):
    log(alice, cast.case_a, person=cast.victim_a)

    case = Case.objects.get(pk=cast.case_a.pk)
    assert case.first_contact_at is not None
    assert case.status == CaseStatus.ACTIVE


def test_an_earlier_contact_logged_later_moves_first_contact_earlier(cast, alice):
    later = log(alice, cast.case_a, ago=timedelta(minutes=10))
    earlier = log(alice, cast.case_a, ago=timedelta(minutes=90))

    case = Case.objects.get(pk=cast.case_a.pk)
    assert case.first_contact_at == earlier.occurred_at < later.occurred_at
    # The case became active once: the second contact is no new status change.
    assert case.events.filter(kind=CaseEventKind.STATUS_CHANGED).count() == 1


def test_a_later_contact_leaves_first_contact_alone(cast, alice):
    first = log(alice, cast.case_a, ago=timedelta(minutes=90))
    log(alice, cast.case_a, ago=timedelta(minutes=10))

    assert Case.objects.get(pk=cast.case_a.pk).first_contact_at == first.occurred_at


def test_a_contact_on_an_ended_case_keeps_its_status(cast, alice):
    case_change_status(actor=alice, case=cast.case_a, status="declined", reason="Declined")

    log(alice, cast.case_a)

    case = Case.objects.get(pk=cast.case_a.pk)
    assert case.status == CaseStatus.DECLINED
    assert case.first_contact_at is not None


def test_it_refuses_a_contact_in_the_future(cast, alice, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        log(alice, cast.case_a, ago=-timedelta(minutes=30))

    assert "occurred_at" in refused.value.message_dict
    assert row_counts() == before


def test_it_allows_a_phone_clock_a_few_minutes_fast(cast, alice):
    contact = log(alice, cast.case_a, ago=-timedelta(minutes=2))

    assert Contact.objects.filter(pk=contact.pk).exists()


def test_it_refuses_a_contact_long_before_the_case_was_received(cast, alice):
    with pytest.raises(ValidationError) as refused:
        log(alice, cast.case_a, ago=timedelta(days=3))

    assert "occurred_at" in refused.value.message_dict
    assert Case.objects.get(pk=cast.case_a.pk).first_contact_at is None


def test_it_refuses_an_attempt_result_on_a_completed_contact(cast, alice, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        log(alice, cast.case_a, attempt_result="voicemail_left")

    assert "attempt_result" in refused.value.message_dict
    assert row_counts() == before


def test_it_refuses_an_unknown_attempt_result(cast, alice, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        log(alice, cast.case_a, outcome="attempted", attempt_result="gave_up")

    assert "gave_up" in refused.value.message_dict["attempt_result"][0]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("outcome", "maybe"),
        ("channel", "carrier_pigeon"),
        ("direction", "sideways"),
        ("duration_minutes", -1),
        ("duration_minutes", 24 * 60 + 1),
    ],
)
def test_it_refuses_an_unknown_or_impossible_value(cast, alice, field, value, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        log(alice, cast.case_a, **{field: value})

    assert field in refused.value.message_dict
    assert row_counts() == before


def test_it_refuses_a_person_who_is_not_on_the_case(cast, alice, row_counts):
    stranger = person_create(actor=alice, first_name="Pat", last_name="Stone")
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        log(alice, cast.case_a, person=stranger)

    assert "person" in refused.value.message_dict
    assert row_counts() == before


def test_it_refuses_a_person_of_another_agency(cast, alice):
    with pytest.raises(ValidationError) as refused:
        log(alice, cast.case_a, person=cast.case_b.primary_victim)

    assert "person" in refused.value.message_dict
    assert not Contact.objects.filter(person=cast.case_b.primary_victim).exists()


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_it_is_refused_to_roles_that_do_not_work_cases(cast, role, row_counts):
    before = row_counts()

    with pytest.raises(PermissionDenied):
        log(cast.actor(role), cast.case_a)

    assert row_counts() == before
    assert Case.objects.get(pk=cast.case_a.pk).first_contact_at is None


def test_nothing_is_left_behind_when_it_fails_halfway(cast, alice, monkeypatch, row_counts):
    before = row_counts()

    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(contacts, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        log(alice, cast.case_a)

    # Neither the contact, its timeline lines, nor the first contact and status it set.
    assert row_counts() == before
    case = Case.objects.get(pk=cast.case_a.pk)
    assert case.first_contact_at is None
    assert case.status == CaseStatus.NEW
