from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haven.agencies.models import District
from haven.audit.models import AuditAction
from haven.cases.models import Assignment, Case, CaseEventKind, CaseSource, CaseStatus
from haven.cases.services import case_open, opening
from haven.cases.testing import make_member
from haven.cases.tests.conftest import NON_CASEWORKER_ROLES
from haven.people.indexes import last_name_index
from haven.people.services import person_create


def open_for(actor, victim=None, **extra):
    victim = victim or person_create(actor=actor, first_name="Gale", last_name="Moss")
    fields = {
        "source": CaseSource.HOTLINE,
        "received_at": timezone.now() - timedelta(hours=1),
        "victimizations": ["stalking"],
    } | extra
    return case_open(actor=actor, victim=victim, **fields)


def test_it_opens_a_new_unassigned_case_with_its_timeline_and_audit_event(
    cast, sam, new_audit_events
):
    victim = person_create(actor=sam, first_name="Gale", last_name="Moss")
    received = timezone.now() - timedelta(hours=2)

    case = case_open(
        actor=sam,
        victim=victim,
        source=CaseSource.HOTLINE,
        received_at=received,
        victimizations=["stalking", "domestic_violence"],
        report_number="  JA200002 ",
        narrative="Caller fears her ex is following her.",
    )

    case = Case.objects.get(pk=case.pk)
    assert case.agency == cast.agency_a
    assert case.primary_victim == victim
    assert case.status == CaseStatus.NEW
    assert case.received_at == received
    assert case.report_number == "JA200002"
    assert case.narrative == "Caller fears her ex is following her."
    assert case.assigned_to is None
    assert case.created_by == cast.supervisor
    assert case.first_contact_at is None and case.closed_at is None
    assert sorted(case.victimizations.values_list("code", flat=True)) == [
        "domestic_violence",
        "stalking",
    ]
    assert not Assignment.objects.filter(case=case).exists()
    assert [(e.kind, e.actor, e.data) for e in case.events.all()] == [
        (CaseEventKind.CREATED, cast.supervisor, {"source": "Hotline"}),
    ]
    [audit] = new_audit_events(action=AuditAction.CASE_CREATE)
    assert audit.object_type == "cases.case"
    assert audit.object_id == str(case.pk)
    assert audit.actor_id == cast.supervisor.user_id
    assert audit.role == "supervisor"
    assert audit.agency_id == cast.agency_a.pk
    assert audit.details["victim"] == victim.pk
    assert audit.details["source"] == CaseSource.HOTLINE


def test_it_keeps_no_narrative_or_name_in_the_audit_event(sam, new_audit_events):
    case = open_for(sam, narrative="She left on Tuesday.")

    [audit] = new_audit_events(action=AuditAction.CASE_CREATE, object_id=str(case.pk))
    text = str(audit.details)
    assert "Tuesday" not in text
    assert "Moss" not in text


def test_it_records_each_victimization_once(sam):
    case = open_for(sam, victimizations=["stalking", "domestic_violence", "stalking"])

    assert sorted(case.victimizations.values_list("code", flat=True)) == [
        "domestic_violence",
        "stalking",
    ]


def test_it_numbers_cases_in_sequence_per_agency(cast, sam, charlie):
    year = timezone.localtime(timezone.now(), cast.agency_a.tz).year
    first = open_for(sam)
    second = open_for(sam)
    in_b = open_for(charlie)

    # The cast opened one case in each agency already.
    assert cast.case_a.number.endswith("-000001")
    assert cast.case_b.number.endswith("-000001")
    assert first.number == f"{year}-000002"
    assert second.number == f"{year}-000003"
    assert in_b.number.endswith("-000002")
    assert Case.objects.filter(agency=cast.agency_a).values("number").distinct().count() == 3
    cast.agency_a.refresh_from_db()
    assert cast.agency_a.last_case_number == 3


def test_its_number_takes_the_year_in_the_agencys_time_zone(sam, charlie):
    # 05:30 UTC on 1 January is still New Year's Eve in Chicago (agency A) ...
    in_chicago = open_for(sam, received_at=datetime(2026, 1, 1, 5, 30, tzinfo=UTC))
    # ... and in New York (agency B) until 05:00 UTC.
    late_in_new_york = open_for(charlie, received_at=datetime(2026, 1, 1, 4, 30, tzinfo=UTC))
    early_in_new_york = open_for(charlie, received_at=datetime(2026, 1, 1, 5, 30, tzinfo=UTC))

    assert in_chicago.number.startswith("2025-")
    assert late_in_new_york.number.startswith("2025-")
    assert early_in_new_york.number.startswith("2026-")


def test_its_number_has_a_four_digit_year_and_six_digit_counter(sam):
    case = open_for(sam)

    year, _, counter = case.number.partition("-")
    assert len(year) == 4 and year.isdigit()
    assert len(counter) == 6 and counter.isdigit()


def test_it_refuses_a_time_received_in_the_future(sam, row_counts):
    victim = person_create(actor=sam, first_name="Gale", last_name="Moss")
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        open_for(sam, victim=victim, received_at=timezone.now() + timedelta(minutes=30))

    assert "received_at" in refused.value.message_dict
    assert row_counts() == before


def test_it_allows_a_phone_clock_a_few_minutes_fast(sam):
    case = open_for(sam, received_at=timezone.now() + timedelta(minutes=2))

    assert Case.objects.filter(pk=case.pk).exists()


def test_it_refuses_an_unknown_victimization_naming_it(sam):
    with pytest.raises(ValidationError) as refused:
        open_for(sam, victimizations=["domestic_violence", "space_piracy"])

    message = refused.value.message_dict["victimizations"][0]
    assert "space_piracy" in message
    assert "domestic_violence" not in message
    assert not Case.objects.filter(primary_victim__last_name_index=last_name_index("Moss")).exists()


def test_it_refuses_an_unknown_source_and_priority(sam):
    with pytest.raises(ValidationError) as refused:
        open_for(sam, source="carrier_pigeon", priority="urgent")

    assert set(refused.value.message_dict) == {"source", "priority"}
    assert not Case.objects.filter(primary_victim__last_name_index=last_name_index("Moss")).exists()


def test_it_refuses_a_report_number_longer_than_the_record_keeps(sam):
    with pytest.raises(ValidationError) as refused:
        open_for(sam, report_number="J" * 41)

    assert "report_number" in refused.value.message_dict
    assert not Case.objects.filter(primary_victim__last_name_index=last_name_index("Moss")).exists()


def test_it_refuses_a_victim_of_another_agency(cast, sam):
    with pytest.raises(ValidationError) as refused:
        open_for(sam, victim=cast.case_b.primary_victim)

    assert "victim" in refused.value.message_dict
    assert Case.objects.filter(primary_victim=cast.case_b.primary_victim).count() == 1


def test_it_refuses_a_district_of_another_agency(cast, sam):
    district_b = District.objects.create(agency=cast.agency_b, code="B1", name="Shore")

    with pytest.raises(ValidationError) as refused:
        open_for(sam, district=district_b)

    assert "district" in refused.value.message_dict
    assert not Case.objects.filter(district=district_b).exists()


def test_an_advocate_can_open_a_case_for_herself(cast, alice, new_audit_events):
    case = open_for(alice, assignee=cast.advocate)

    assert Case.objects.get(pk=case.pk).assigned_to == cast.advocate
    [assignment] = Assignment.objects.filter(case=case)
    assert assignment.assignee == cast.advocate
    assert assignment.assigned_by == cast.advocate
    assert assignment.ended_at is None
    assert [e.kind for e in case.events.order_by("id")] == [
        CaseEventKind.CREATED,
        CaseEventKind.ASSIGNED,
    ]
    assert case.events.get(kind=CaseEventKind.ASSIGNED).data == {
        "to": "Alice Avery",
        "from": "nobody",
        "reason": "",
    }
    [audit] = new_audit_events(action=AuditAction.CASE_CREATE)
    assert audit.details["assignee"] == cast.advocate.pk


def test_an_advocate_cannot_open_a_case_for_someone_else(cast, alice, row_counts):
    victim = person_create(actor=alice, first_name="Gale", last_name="Moss")
    before = row_counts()

    with pytest.raises(PermissionDenied):
        open_for(alice, victim=victim, assignee=cast.advocate2)

    assert row_counts() == before


def test_a_supervisor_opens_a_case_for_an_advocate(cast, sam):
    case = open_for(sam, assignee=cast.advocate2)

    assert Case.objects.get(pk=case.pk).assigned_to == cast.advocate2
    assert Assignment.objects.get(case=case).assigned_by == cast.supervisor


@pytest.mark.parametrize("assignee", ["officer", "other_advocate"])
def test_it_refuses_an_assignee_who_is_not_a_specialist_of_the_agency(cast, sam, assignee):
    with pytest.raises(ValidationError) as refused:
        open_for(sam, assignee=getattr(cast, assignee))

    assert "assignee" in refused.value.message_dict
    assert not Case.objects.filter(primary_victim__last_name_index=last_name_index("Moss")).exists()


def test_it_refuses_an_inactive_specialist_as_assignee(cast, sam):
    gone = make_member(cast.agency_a, "gwen", "advocate", is_active=False)

    with pytest.raises(ValidationError):
        open_for(sam, assignee=gone)

    assert not Case.objects.filter(assigned_to=gone).exists()


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_it_is_refused_to_roles_that_do_not_work_cases(cast, sam, role, row_counts):
    victim = person_create(actor=sam, first_name="Gale", last_name="Moss")
    before = row_counts()

    with pytest.raises(PermissionDenied):
        open_for(cast.actor(role), victim=victim)

    assert row_counts() == before


def test_nothing_is_left_behind_when_it_fails_halfway(cast, sam, monkeypatch, row_counts):
    victim = person_create(actor=sam, first_name="Gale", last_name="Moss")
    before = row_counts()

    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(opening, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        open_for(sam, victim=victim, assignee=cast.advocate)

    # No case, victimization, assignment, timeline line or audit event, and the number was
    # not used up.
    assert row_counts() == before
