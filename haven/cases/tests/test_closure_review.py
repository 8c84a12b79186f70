"""Closing with a supervisor's review, where the agency wants one."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.cases.models import Case, CaseEventKind, CaseStatus, ClosureReview, Task
from haven.cases.services import case_change_status, case_closure_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(cast):
    cast.agency_a.closure_review_required = True
    cast.agency_a.save()
    return cast


def close(actor, case):
    return case_change_status(actor=actor, case=case, status="closed", close_reason="goals_met")


def test_an_advocates_closing_waits_for_review_where_the_agency_wants_it(reviewed, alice):
    close(alice, reviewed.case_a)

    case = Case.objects.get(pk=reviewed.case_a.pk)
    assert (case.status, case.closure_review) == (CaseStatus.CLOSED, ClosureReview.PENDING)


def test_without_the_setting_nothing_waits(cast, alice):
    close(alice, cast.case_a)

    assert Case.objects.get(pk=cast.case_a.pk).closure_review == ClosureReview.NONE


def test_a_supervisors_own_closing_needs_no_review(reviewed, sam):
    close(sam, reviewed.case_a)

    assert Case.objects.get(pk=reviewed.case_a.pk).closure_review == ClosureReview.NONE


def test_a_supervisor_approves_a_closing(reviewed, alice, sam, new_audit_events):
    close(alice, reviewed.case_a)

    case_closure_review(actor=sam, case=reviewed.case_a, approve=True)

    case = Case.objects.get(pk=reviewed.case_a.pk)
    assert (case.status, case.closure_review) == (CaseStatus.CLOSED, ClosureReview.APPROVED)
    assert case.closure_reviewed_by == reviewed.supervisor
    assert case.events.filter(kind=CaseEventKind.REVIEW).get().data == {
        "summary": "Closing approved"
    }
    [event] = new_audit_events(action=AuditAction.CASE_CLOSURE_REVIEW)
    assert event.details == {"approved": True}


def test_returning_a_closing_reopens_the_case_with_what_is_left(reviewed, alice, sam):
    close(alice, reviewed.case_a)

    case_closure_review(
        actor=sam, case=reviewed.case_a, approve=False, note="Court date on the 3rd"
    )

    case = Case.objects.get(pk=reviewed.case_a.pk)
    assert (case.status, case.status_reason, case.closed_at) == (
        CaseStatus.ACTIVE,
        "Court date on the 3rd",
        None,
    )
    assert case.closure_review == ClosureReview.NONE
    moves = [e.data["to"] for e in case.events.filter(kind=CaseEventKind.STATUS_CHANGED)]
    assert moves[0] == "Active"


def test_returning_needs_a_note_and_a_review_needs_a_pending_closing(reviewed, alice, sam):
    with pytest.raises(ValidationError):
        case_closure_review(actor=sam, case=reviewed.case_a, approve=True)
    close(alice, reviewed.case_a)
    with pytest.raises(ValidationError) as refused:
        case_closure_review(actor=sam, case=reviewed.case_a, approve=False)

    assert "note" in refused.value.message_dict
    assert Case.objects.get(pk=reviewed.case_a.pk).closure_review == ClosureReview.PENDING


def test_an_advocate_cannot_review(reviewed, alice, bob):
    close(alice, reviewed.case_a)

    with pytest.raises(PermissionDenied):
        case_closure_review(actor=bob, case=reviewed.case_a, approve=True)


def test_the_review_page_lists_and_decides(client, reviewed, alice):
    close(alice, reviewed.case_a)
    client.force_login(reviewed.supervisor.user)

    page = client.get("/cases/closings/")
    assert reviewed.case_a.number in page.content.decode()
    response = client.post(
        f"/cases/{reviewed.case_a.pk}/closing-review/", {"decision": "approve", "note": ""}
    )

    assert response.status_code == 302
    assert Case.objects.get(pk=reviewed.case_a.pk).closure_review == ClosureReview.APPROVED
    assert "No closings wait" in client.get("/cases/closings/").content.decode()


@pytest.mark.parametrize("role", ["advocate", "officer", "analyst", "auditor"])
def test_the_review_page_is_for_supervisors(client, reviewed, alice, role):
    close(alice, reviewed.case_a)
    client.force_login(getattr(reviewed, role).user)

    assert client.get("/cases/closings/").status_code == 403
    response = client.post(f"/cases/{reviewed.case_a.pk}/closing-review/", {"decision": "approve"})
    assert response.status_code == 403
    assert Case.objects.get(pk=reviewed.case_a.pk).closure_review == ClosureReview.PENDING


def test_the_status_form_closes_with_a_reason_code(client, cast):
    client.force_login(cast.advocate.user)
    # With nothing left open (the cast's task done); otherwise the form goes to the closing
    # checklist first (test_closing_checklist.py).
    Task.objects.filter(case=cast.case_a).update(completed_at=timezone.now())

    client.post(
        f"/cases/{cast.case_a.pk}/status/",
        {"status": "closed", "close_reason": "moved", "reason": ""},
    )

    case = Case.objects.get(pk=cast.case_a.pk)
    assert (case.status, case.close_reason, case.status_reason) == (
        "closed",
        "moved",
        "Moved out of the service area",
    )
