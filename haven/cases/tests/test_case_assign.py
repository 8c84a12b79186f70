import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.audit.models import AuditAction
from haven.cases.models import Assignment, Case, CaseEventKind, CaseStatus
from haven.cases.services import assignment, case_assign, case_change_status
from haven.cases.testing import make_case, make_member
from haven.cases.tests.conftest import NON_CASEWORKER_ROLES


@pytest.fixture
def unassigned(sam):
    return make_case(sam, first_name="Hal", last_name="Ng")


def assignees(case):
    """The assignment history, oldest first: (assignee, assigned_by, still open?)."""
    return [
        (a.assignee, a.assigned_by, a.ended_at is None)
        for a in Assignment.objects.filter(case=case).order_by("started_at", "id")
    ]


def test_a_supervisor_reassigns_a_case_and_the_history_is_kept(cast, sam, new_audit_events):
    case = cast.case_a

    result = case_assign(actor=sam, case=case, assignee=cast.advocate2, reason="Alice on leave")

    assert result.assigned_to == cast.advocate2
    assert Case.objects.get(pk=case.pk).assigned_to == cast.advocate2
    assert assignees(case) == [
        (cast.advocate, cast.supervisor, False),
        (cast.advocate2, cast.supervisor, True),
    ]
    ended, current = Assignment.objects.filter(case=case).order_by("started_at", "id")
    assert ended.ended_at == current.started_at
    assert current.reason == "Alice on leave"
    event = case.events.filter(kind=CaseEventKind.ASSIGNED).order_by("-id").first()
    assert event.actor == cast.supervisor
    assert event.data == {"to": "Bob Burke", "from": "Alice Avery", "reason": "Alice on leave"}
    [audit] = new_audit_events(action=AuditAction.CASE_ASSIGN)
    assert audit.object_id == str(case.pk)
    assert audit.reason == "Alice on leave"
    assert audit.details == {"to": cast.advocate2.pk}
    assert audit.role == "supervisor"


def test_a_coordinator_can_assign_too(cast, cora):
    case_assign(actor=cora, case=cast.case_a, assignee=cast.supervisor)

    assert Case.objects.get(pk=cast.case_a.pk).assigned_to == cast.supervisor


def test_a_supervisor_can_unassign_a_case(cast, sam, new_audit_events):
    case_assign(actor=sam, case=cast.case_a, assignee=None, reason="Back to the queue")

    assert Case.objects.get(pk=cast.case_a.pk).assigned_to is None
    assert assignees(cast.case_a) == [(cast.advocate, cast.supervisor, False)]
    event = cast.case_a.events.filter(kind=CaseEventKind.ASSIGNED).order_by("-id").first()
    assert event.data["to"] == "nobody"
    [audit] = new_audit_events(action=AuditAction.CASE_ASSIGN)
    assert audit.details == {"to": None}


def test_an_advocate_can_take_an_unassigned_case(cast, alice, unassigned, new_audit_events):
    case_assign(actor=alice, case=unassigned, assignee=cast.advocate)

    assert Case.objects.get(pk=unassigned.pk).assigned_to == cast.advocate
    assert assignees(unassigned) == [(cast.advocate, cast.advocate, True)]
    assert unassigned.events.filter(kind=CaseEventKind.ASSIGNED, actor=cast.advocate).exists()
    [audit] = new_audit_events(action=AuditAction.CASE_ASSIGN)
    assert audit.actor_id == cast.advocate.user_id


def test_an_advocate_cannot_give_an_unassigned_case_to_someone_else(
    cast, alice, unassigned, new_audit_events
):
    with pytest.raises(PermissionDenied):
        case_assign(actor=alice, case=unassigned, assignee=cast.advocate2)

    assert Case.objects.get(pk=unassigned.pk).assigned_to is None
    assert assignees(unassigned) == []
    assert new_audit_events(action=AuditAction.CASE_ASSIGN) == []


def test_an_advocate_cannot_reassign_her_own_case(cast, alice, new_audit_events):
    with pytest.raises(PermissionDenied):
        case_assign(actor=alice, case=cast.case_a, assignee=cast.advocate2)

    assert Case.objects.get(pk=cast.case_a.pk).assigned_to == cast.advocate
    assert assignees(cast.case_a) == [(cast.advocate, cast.supervisor, True)]
    assert new_audit_events() == []


def test_an_advocate_cannot_take_a_colleagues_case(cast, bob):
    with pytest.raises(PermissionDenied):
        case_assign(actor=bob, case=cast.case_a, assignee=cast.advocate2)

    assert Case.objects.get(pk=cast.case_a.pk).assigned_to == cast.advocate


def test_an_advocate_cannot_drop_her_case_into_the_queue(cast, alice):
    with pytest.raises(PermissionDenied):
        case_assign(actor=alice, case=cast.case_a, assignee=None)

    assert Case.objects.get(pk=cast.case_a.pk).assigned_to == cast.advocate


@pytest.mark.parametrize("assignee", ["officer", "analyst", "auditor", "other_advocate"])
def test_it_refuses_an_assignee_who_cannot_hold_the_agencys_cases(cast, sam, assignee):
    with pytest.raises(ValidationError) as refused:
        case_assign(actor=sam, case=cast.case_a, assignee=getattr(cast, assignee))

    assert "assignee" in refused.value.message_dict
    assert Case.objects.get(pk=cast.case_a.pk).assigned_to == cast.advocate
    assert assignees(cast.case_a) == [(cast.advocate, cast.supervisor, True)]


def test_it_refuses_an_inactive_specialist(cast, sam):
    gone = make_member(cast.agency_a, "gwen", "advocate", is_active=False)

    with pytest.raises(ValidationError):
        case_assign(actor=sam, case=cast.case_a, assignee=gone)

    assert Case.objects.get(pk=cast.case_a.pk).assigned_to == cast.advocate


def test_it_refuses_a_reason_longer_than_the_record_keeps(cast, sam, new_audit_events):
    with pytest.raises(ValidationError) as refused:
        case_assign(actor=sam, case=cast.case_a, assignee=cast.advocate2, reason="x" * 201)

    assert "reason" in refused.value.message_dict
    assert assignees(cast.case_a) == [(cast.advocate, cast.supervisor, True)]
    assert new_audit_events() == []


def test_a_closed_case_cannot_be_reassigned_until_reopened(cast, sam):
    case_change_status(actor=sam, case=cast.case_a, status=CaseStatus.CLOSED, reason="Done")

    with pytest.raises(ValidationError, match="Reopen"):
        case_assign(actor=sam, case=cast.case_a, assignee=cast.advocate2)

    assert Case.objects.get(pk=cast.case_a.pk).assigned_to == cast.advocate
    case_change_status(
        actor=sam, case=cast.case_a, status=CaseStatus.ACTIVE, reason="New court date"
    )
    case_assign(actor=sam, case=cast.case_a, assignee=cast.advocate2)
    assert Case.objects.get(pk=cast.case_a.pk).assigned_to == cast.advocate2


def test_assigning_to_the_current_specialist_changes_nothing(cast, sam, new_audit_events):
    events_before = cast.case_a.events.count()

    case_assign(actor=sam, case=cast.case_a, assignee=cast.advocate)

    assert assignees(cast.case_a) == [(cast.advocate, cast.supervisor, True)]
    assert cast.case_a.events.count() == events_before
    assert new_audit_events() == []


def test_a_case_passed_around_keeps_every_assignment(cast, sam):
    for member in (cast.advocate2, cast.coordinator, cast.advocate):
        case_assign(actor=sam, case=cast.case_a, assignee=member)

    history = assignees(cast.case_a)
    assert [who for who, _, _ in history] == [
        cast.advocate,
        cast.advocate2,
        cast.coordinator,
        cast.advocate,
    ]
    assert [still_open for _, _, still_open in history] == [False, False, False, True]
    assert cast.case_a.events.filter(kind=CaseEventKind.ASSIGNED).count() == 4


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_it_is_refused_to_roles_that_do_not_work_cases(cast, role, unassigned, row_counts):
    before = row_counts()
    actor = cast.actor(role)

    with pytest.raises(PermissionDenied):
        case_assign(actor=actor, case=unassigned, assignee=actor.membership)

    assert row_counts() == before


def test_nothing_is_left_behind_when_it_fails_halfway(cast, sam, monkeypatch, row_counts):
    before = row_counts()

    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(assignment, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        case_assign(actor=sam, case=cast.case_a, assignee=cast.advocate2)

    assert row_counts() == before
    assert Case.objects.get(pk=cast.case_a.pk).assigned_to == cast.advocate
    assert assignees(cast.case_a) == [(cast.advocate, cast.supervisor, True)]
