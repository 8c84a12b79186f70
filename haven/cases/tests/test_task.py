from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.cases.access import access_task
from haven.cases.models import CaseEventKind, Task
from haven.cases.services import case_change_status, task_add, task_complete, work
from haven.cases.testing import make_case
from haven.cases.tests.conftest import NON_CASEWORKER_ROLES


def due():
    return timezone.now() + timedelta(days=1)


def test_a_task_goes_to_the_cases_specialist_by_default(cast, sam, new_audit_events):
    task = task_add(
        actor=sam, case=cast.case_a, title="  Mail the compensation form ", due_at=due()
    )

    task = Task.objects.get(pk=task.pk)
    assert task.case == cast.case_a
    assert task.title == "Mail the compensation form"
    assert task.assignee == cast.advocate
    assert task.created_by == cast.supervisor
    assert task.completed_at is None
    event = cast.case_a.events.get(kind=CaseEventKind.TASK_ADDED, task=task)
    assert event.actor == cast.supervisor
    [audit] = new_audit_events(action=AuditAction.TASK_ADD)
    assert audit.object_type == "cases.task"
    assert audit.object_id == str(task.pk)
    assert audit.details == {"case": cast.case_a.pk}


def test_a_task_can_name_another_specialist(cast, alice):
    task = task_add(
        actor=alice,
        case=cast.case_a,
        title="Cover the hearing",
        due_at=due(),
        assignee=cast.advocate2,
    )

    assert Task.objects.get(pk=task.pk).assignee == cast.advocate2


def test_a_task_on_an_unassigned_case_goes_to_whoever_adds_it(cast, sam, bob):
    case = make_case(sam, first_name="Hal", last_name="Ng")

    task = task_add(actor=bob, case=case, title="Find a phone number", due_at=due())

    assert Task.objects.get(pk=task.pk).assignee == cast.advocate2


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_it_refuses_a_missing_or_overlong_title(cast, alice, title, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        task_add(actor=alice, case=cast.case_a, title=title, due_at=due())

    assert "title" in refused.value.message_dict
    assert row_counts() == before


@pytest.mark.parametrize("assignee", ["officer", "other_advocate"])
def test_it_refuses_an_assignee_who_cannot_hold_the_agencys_cases(cast, alice, assignee):
    with pytest.raises(ValidationError) as refused:
        task_add(
            actor=alice,
            case=cast.case_a,
            title="Call",
            due_at=due(),
            assignee=getattr(cast, assignee),
        )

    assert "assignee" in refused.value.message_dict
    assert not Task.objects.filter(assignee=getattr(cast, assignee)).exists()


def test_it_refuses_a_task_on_an_ended_case(cast, alice, row_counts):
    case_change_status(actor=alice, case=cast.case_a, status="closed", reason="Done")
    before = row_counts()

    with pytest.raises(ValidationError, match="Reopen"):
        task_add(actor=alice, case=cast.case_a, title="Call", due_at=due())

    assert row_counts() == before


def test_completing_a_task_stamps_who_and_when(cast, bob, new_audit_events):
    task = cast.case_a.tasks.get()

    result = task_complete(actor=bob, task=task)

    task.refresh_from_db()
    assert result.completed_at == task.completed_at is not None
    assert task.completed_by == cast.advocate2
    event = cast.case_a.events.get(kind=CaseEventKind.TASK_COMPLETED, task=task)
    assert event.actor == cast.advocate2
    assert event.at == task.completed_at
    [audit] = new_audit_events(action=AuditAction.TASK_COMPLETE)
    assert audit.object_id == str(task.pk)
    assert audit.details == {"case": cast.case_a.pk}


def test_a_task_cannot_be_completed_twice(cast, alice, bob, new_audit_events):
    task = cast.case_a.tasks.get()
    task_complete(actor=alice, task=task)
    first = Task.objects.get(pk=task.pk)

    with pytest.raises(ValidationError, match="already completed"):
        # Bob's page still shows the task open.
        task_complete(actor=bob, task=Task.objects.get(pk=task.pk))

    again = Task.objects.get(pk=task.pk)
    assert (again.completed_at, again.completed_by) == (first.completed_at, cast.advocate)
    assert cast.case_a.events.filter(kind=CaseEventKind.TASK_COMPLETED).count() == 1
    assert len(new_audit_events(action=AuditAction.TASK_COMPLETE)) == 1


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_adding_is_refused_to_roles_that_do_not_work_cases(cast, role, row_counts):
    before = row_counts()

    with pytest.raises(PermissionDenied):
        task_add(actor=cast.actor(role), case=cast.case_a, title="Call", due_at=due())

    assert row_counts() == before


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_completing_is_refused_to_roles_that_do_not_work_cases(cast, role, row_counts):
    before = row_counts()
    task = cast.case_a.tasks.get()

    with pytest.raises(PermissionDenied):
        task_complete(actor=cast.actor(role), task=task)

    assert row_counts() == before
    assert Task.objects.get(pk=task.pk).completed_at is None


def test_nothing_is_left_behind_when_completing_fails_halfway(cast, alice, monkeypatch, row_counts):
    before = row_counts()
    task = cast.case_a.tasks.get()

    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(work, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        task_complete(actor=alice, task=task)

    assert row_counts() == before
    assert Task.objects.get(pk=task.pk).completed_at is None


def test_nothing_is_left_behind_when_adding_fails_halfway(cast, alice, monkeypatch, row_counts):
    before = row_counts()

    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(work, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        task_add(actor=alice, case=cast.case_a, title="Call", due_at=due())

    assert row_counts() == before


def test_access_task_gives_a_task_on_a_case_the_actor_works(cast, alice):
    task = cast.case_a.tasks.get()

    assert access_task(alice, str(task.pk)) == task


@pytest.mark.parametrize("who", ["other_advocate", "officer", "analyst", "auditor"])
def test_access_task_hides_the_task_from_everyone_else(cast, who):
    task = cast.case_a.tasks.get()

    with pytest.raises(Http404):
        access_task(cast.actor(who), task.pk)


@pytest.mark.parametrize("task_id", ["999999", "abc", None])
def test_access_task_gives_404_for_a_missing_or_malformed_id(cast, alice, task_id):
    with pytest.raises(Http404):
        access_task(alice, task_id)
