from itertools import product

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.audit.models import AuditAction
from haven.audit.selectors import verify_chain
from haven.cases.models import Case, CaseEventKind, CaseStatus
from haven.cases.services import case_change_status, status
from haven.cases.tests.conftest import NON_CASEWORKER_ROLES

NEW, ACTIVE, CLOSED = CaseStatus.NEW, CaseStatus.ACTIVE, CaseStatus.CLOSED
DECLINED, UNABLE = CaseStatus.DECLINED, CaseStatus.UNABLE_TO_CONTACT

# Written out rather than read from ALLOWED_MOVES, so a change to the rule fails here.
ALLOWED = {
    (NEW, ACTIVE),
    (NEW, CLOSED),
    (NEW, DECLINED),
    (NEW, UNABLE),
    (ACTIVE, CLOSED),
    (ACTIVE, DECLINED),
    (ACTIVE, UNABLE),
    (CLOSED, ACTIVE),
    (DECLINED, ACTIVE),
    (UNABLE, ACTIVE),
}
REFUSED = set(product(CaseStatus, CaseStatus)) - ALLOWED


def put_in(case, status):
    """Test setup: put the case straight into a status, as if earlier moves had happened."""
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(("start", "end"), sorted(ALLOWED))
def test_it_allows_the_move(cast, alice, start, end):
    case = put_in(cast.case_a, start)

    case_change_status(actor=alice, case=case, status=end, reason="Because")

    assert Case.objects.get(pk=case.pk).status == end


@pytest.mark.parametrize(("start", "end"), sorted(REFUSED))
def test_it_refuses_the_move(cast, alice, start, end, new_audit_events):
    case = put_in(cast.case_a, start)
    events_before = case.events.count()

    with pytest.raises(ValidationError) as refused:
        case_change_status(actor=alice, case=case, status=end, reason="Because")

    assert "status" in refused.value.message_dict
    assert Case.objects.get(pk=case.pk).status == start
    assert case.events.count() == events_before
    assert new_audit_events() == []


def test_it_refuses_an_unknown_status(cast, alice):
    with pytest.raises(ValidationError) as refused:
        case_change_status(actor=alice, case=cast.case_a, status="archived", reason="x")

    assert "archived" in refused.value.message_dict["status"][0]
    assert Case.objects.get(pk=cast.case_a.pk).status == NEW


def test_closing_a_case_stamps_the_time_reason_timeline_and_audit(cast, alice, new_audit_events):
    case = cast.case_a

    result = case_change_status(
        actor=alice, case=case, status=CLOSED, reason="  Services completed  "
    )

    case.refresh_from_db()
    assert result.status == case.status == CLOSED
    assert case.status_reason == "Services completed"
    assert case.closed_at is not None
    assert not case.is_open
    event = case.events.filter(kind=CaseEventKind.STATUS_CHANGED).get()
    assert event.actor == cast.advocate
    assert event.data == {"from": "New", "to": "Closed", "reason": "Services completed"}
    [audit] = new_audit_events(action=AuditAction.CASE_STATUS)
    assert audit.object_id == str(case.pk)
    assert audit.reason == "Services completed"
    assert audit.details == {
        "from": "new",
        "to": "closed",
        "close_reason": "other",
        "review": "",
        "reopened": False,
    }
    assert verify_chain(str(cast.agency_a.pk))[1] is None


@pytest.mark.parametrize("ending", [CLOSED, DECLINED, UNABLE])
@pytest.mark.parametrize("reason", ["", "   "])
def test_ending_a_case_needs_a_reason(cast, alice, ending, reason, new_audit_events):
    with pytest.raises(ValidationError) as refused:
        case_change_status(actor=alice, case=cast.case_a, status=ending, reason=reason)

    assert "reason" in refused.value.message_dict
    case = Case.objects.get(pk=cast.case_a.pk)
    assert case.status == NEW and case.closed_at is None
    assert new_audit_events() == []


def test_reopening_clears_closed_at_and_keeps_the_timeline(cast, alice, new_audit_events):
    case = cast.case_a
    case_change_status(actor=alice, case=case, status=DECLINED, reason="Victim declined")
    timeline_before = list(case.events.values_list("id", flat=True))

    case_change_status(actor=alice, case=case, status=ACTIVE, reason="Victim called back")

    case.refresh_from_db()
    assert case.status == ACTIVE
    assert case.closed_at is None
    assert case.status_reason == "Victim called back"
    timeline = list(case.events.values_list("id", flat=True))
    assert set(timeline_before) < set(timeline)
    moves = [
        (e.data["from"], e.data["to"])
        for e in case.events.filter(kind=CaseEventKind.STATUS_CHANGED).order_by("id")
    ]
    assert moves == [("New", "Declined services"), ("Declined services", "Active")]
    assert [a.details["to"] for a in new_audit_events(action=AuditAction.CASE_STATUS)] == [
        "declined",
        "active",
    ]


def test_reopening_needs_a_reason(cast, alice):
    case = put_in(cast.case_a, CLOSED)

    with pytest.raises(ValidationError) as refused:
        case_change_status(actor=alice, case=case, status=ACTIVE)
    assert refused.value.message_dict["reason"] == ["Say why the case reopens."]
    case_change_status(actor=alice, case=case, status=ACTIVE, reason="New court date")

    assert Case.objects.get(pk=case.pk).status == ACTIVE


def test_closing_records_the_close_reason_in_words_too(cast, alice, new_audit_events):
    case_change_status(actor=alice, case=cast.case_a, status=CLOSED, close_reason="goals_met")

    case = Case.objects.get(pk=cast.case_a.pk)
    assert (case.close_reason, case.status_reason) == ("goals_met", "Services completed: goals met")
    [event] = new_audit_events(action=AuditAction.CASE_STATUS)
    assert event.details["close_reason"] == "goals_met"


def test_a_close_reason_must_be_known_and_goes_with_closing_only(cast, alice):
    with pytest.raises(ValidationError) as unknown:
        case_change_status(actor=alice, case=cast.case_a, status=CLOSED, close_reason="bored")
    with pytest.raises(ValidationError) as misplaced:
        case_change_status(
            actor=alice, case=cast.case_a, status=DECLINED, reason="No", close_reason="moved"
        )

    assert "close_reason" in unknown.value.message_dict
    assert "close_reason" in misplaced.value.message_dict
    assert Case.objects.get(pk=cast.case_a.pk).status == NEW


def test_unable_to_contact_needs_a_logged_attempt(cast, sam):
    from haven.cases.testing import make_case

    untried = make_case(sam, first_name="Nia", last_name="Ward")

    with pytest.raises(ValidationError) as refused:
        case_change_status(actor=sam, case=untried, status=UNABLE, reason="No answer")

    assert "Log the attempts" in refused.value.message_dict["status"][0]
    assert Case.objects.get(pk=untried.pk).status == NEW


def test_it_refuses_a_reason_longer_than_the_record_keeps(cast, alice):
    with pytest.raises(ValidationError) as refused:
        case_change_status(actor=alice, case=cast.case_a, status=CLOSED, reason="x" * 201)

    assert "reason" in refused.value.message_dict
    assert Case.objects.get(pk=cast.case_a.pk).status == NEW


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_it_is_refused_to_roles_that_do_not_work_cases(cast, role, row_counts):
    before = row_counts()

    with pytest.raises(PermissionDenied):
        case_change_status(actor=cast.actor(role), case=cast.case_a, status=CLOSED, reason="x")

    assert row_counts() == before
    assert Case.objects.get(pk=cast.case_a.pk).status == NEW


def test_nothing_is_left_behind_when_it_fails_halfway(cast, alice, monkeypatch, row_counts):
    before = row_counts()

    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(status, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        case_change_status(actor=alice, case=cast.case_a, status=CLOSED, reason="Done")

    assert row_counts() == before
    case = Case.objects.get(pk=cast.case_a.pk)
    assert case.status == NEW and case.closed_at is None and case.status_reason == ""
