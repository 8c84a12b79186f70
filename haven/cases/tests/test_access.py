import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from haven.agencies.roles import ROLE_PERMISSIONS, Perm
from haven.audit.models import AuditAction
from haven.cases.access import access_case
from haven.cases.services import case_assign, case_change_status, contact_log, note_add, task_add


@pytest.fixture
def reader(cast, monkeypatch):
    """A member whose role may read every case but work none. No real role is like that
    (see agencies/tests/test_roles.py), so the role is made up for this test."""
    monkeypatch.setitem(ROLE_PERMISSIONS, "reader", frozenset({Perm.CASE_VIEW, Perm.CASE_VIEW_ALL}))
    membership = cast.advocate2
    membership.role = "reader"  # in memory only
    return cast.actor(membership)


def test_a_caseworker_reads_a_case_and_the_read_is_audited(cast, alice, new_audit_events):
    case = access_case(alice, str(cast.case_a.pk))

    assert case == cast.case_a
    [audit] = new_audit_events()
    assert audit.action == AuditAction.CASE_VIEW
    assert audit.object_type == "cases.case"
    assert audit.object_id == str(cast.case_a.pk)
    assert audit.actor_id == cast.advocate.user_id
    assert audit.ip == "127.0.0.1"
    assert audit.user_agent == "pytest"


def test_opening_a_case_to_work_on_it_is_not_audited_as_a_read(cast, alice, new_audit_events):
    # The service called next writes the audit event for the change.
    assert access_case(alice, cast.case_a.pk, write=True) == cast.case_a
    assert new_audit_events() == []


@pytest.mark.parametrize("role", ["advocate2", "supervisor", "coordinator"])
def test_any_caseworker_of_the_agency_may_read_and_work_a_case(cast, role):
    actor = cast.actor(role)

    assert access_case(actor, cast.case_a.pk) == cast.case_a
    assert access_case(actor, cast.case_a.pk, write=True) == cast.case_a


@pytest.mark.parametrize("write", [False, True])
def test_another_agencys_case_is_not_found(cast, charlie, write, new_audit_events):
    with pytest.raises(Http404):
        access_case(charlie, cast.case_a.pk, write=write)

    assert new_audit_events() == []


@pytest.mark.parametrize("case_id", ["999999", "abc", "1.5", "", None, "9" * 30])
def test_a_missing_or_malformed_id_is_not_found(alice, case_id, new_audit_events):
    with pytest.raises(Http404):
        access_case(alice, case_id)

    assert new_audit_events() == []


def test_not_yours_and_missing_get_the_same_answer(cast, charlie):
    with pytest.raises(Http404) as not_yours:
        access_case(charlie, cast.case_a.pk)
    with pytest.raises(Http404) as missing:
        access_case(charlie, 999999)

    assert str(not_yours.value) == str(missing.value)


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
@pytest.mark.parametrize("write", [False, True])
def test_roles_without_the_record_get_not_found(cast, role, write, new_audit_events):
    with pytest.raises(Http404):
        access_case(cast.actor(role), cast.case_a.pk, write=write)

    assert new_audit_events() == []


def test_an_advocate_narrowed_to_her_caseload_cannot_open_a_colleagues_case(cast):
    cast.agency_a.advocates_see_own_caseload_only = True
    cast.agency_a.save(update_fields=["advocates_see_own_caseload_only"])

    with pytest.raises(Http404):
        access_case(cast.actor("advocate2"), cast.case_a.pk)
    assert access_case(cast.actor("advocate"), cast.case_a.pk) == cast.case_a


def test_a_reader_who_may_not_work_cases_can_read(cast, reader, new_audit_events):
    assert access_case(reader, cast.case_a.pk) == cast.case_a
    assert [a.action for a in new_audit_events()] == [AuditAction.CASE_VIEW]


def test_a_reader_who_may_not_work_cases_is_refused_writing(cast, reader, new_audit_events):
    with pytest.raises(PermissionDenied):
        access_case(reader, cast.case_a.pk, write=True)

    assert new_audit_events() == []


@pytest.mark.parametrize(
    "call",
    [
        lambda actor, case: note_add(actor=actor, case=case, body="probe"),
        lambda actor, case: contact_log(
            actor=actor,
            case=case,
            outcome="attempted",
            channel="phone",
            direction="outbound",
            occurred_at=case.received_at,
        ),
        lambda actor, case: case_change_status(
            actor=actor, case=case, status="closed", reason="probe"
        ),
        lambda actor, case: task_add(
            actor=actor, case=case, title="probe", due_at=case.received_at
        ),
        lambda actor, case: case_assign(actor=actor, case=case, assignee=None),
    ],
)
def test_services_refuse_another_agencys_case_even_without_the_access_helper(cast, call):
    """Defence in depth: a caller that forgot access_case still cannot touch agency B."""
    from django.core.exceptions import PermissionDenied

    from haven.cases.models import CaseEvent

    before = CaseEvent.objects.filter(case=cast.case_b).count()
    with pytest.raises(PermissionDenied):
        call(cast.actor("supervisor"), cast.case_b)
    assert CaseEvent.objects.filter(case=cast.case_b).count() == before
