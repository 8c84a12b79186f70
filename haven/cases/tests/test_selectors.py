from dataclasses import fields
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.cases.models import Case, CaseEventKind, CaseStatus, Priority
from haven.cases.selectors import (
    CaseFilters,
    ServedStatus,
    agency_overview,
    case_list,
    case_timeline,
    cases_visible_to,
    my_caseload,
    open_tasks,
    overdue,
    served_status,
)
from haven.cases.services import case_change_status, contact_log, task_complete
from haven.cases.testing import make_case
from haven.people.services import person_alias_add

HOUR = timedelta(hours=1)


def contact(actor, case, occurred_at):
    contact_log(
        actor=actor,
        case=case,
        outcome="completed",
        channel="phone",
        direction="outbound",
        occurred_at=occurred_at,
    )


@pytest.fixture
def unassigned(sam):
    return make_case(sam, first_name="Hal", last_name="Ng", report_number="JA555")


# cases_visible_to


@pytest.mark.parametrize("role", ["advocate", "advocate2", "supervisor", "coordinator"])
def test_caseworkers_see_every_case_of_their_agency(cast, role, unassigned):
    visible = set(cases_visible_to(cast.actor(role)))

    assert visible == {cast.case_a, unassigned}


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_other_roles_see_no_case_record(cast, role):
    assert list(cases_visible_to(cast.actor(role))) == []


def test_an_advocate_never_sees_another_agencys_cases(cast, charlie):
    assert list(cases_visible_to(charlie)) == [cast.case_b]


def test_an_agency_can_narrow_advocates_to_their_own_caseload_and_the_queue(cast, unassigned):
    cast.agency_a.advocates_see_own_caseload_only = True
    cast.agency_a.save(update_fields=["advocates_see_own_caseload_only"])

    # Their own cases and the unassigned queue (to take from it), never a colleague's.
    assert set(cases_visible_to(cast.actor("advocate"))) == {cast.case_a, unassigned}
    assert list(cases_visible_to(cast.actor("advocate2"))) == [unassigned]
    assert set(cases_visible_to(cast.actor("supervisor"))) == {cast.case_a, unassigned}
    assert set(cases_visible_to(cast.actor("coordinator"))) == {cast.case_a, unassigned}
    assert list(cases_visible_to(cast.actor("other_advocate"))) == [cast.case_b]


# my_caseload


def test_my_caseload_puts_urgent_and_unreached_victims_first(
    cast, alice, sam, bob, new_audit_events
):
    now = timezone.now()
    mine = {"assignee": cast.advocate}
    high = make_case(sam, last_name="High", received_at=now - HOUR, priority=Priority.HIGH, **mine)
    reached = make_case(sam, last_name="Reached", received_at=now - 10 * HOUR, **mine)
    contact(alice, reached, now - 9 * HOUR)
    waiting_longest = make_case(sam, last_name="Oldest", received_at=now - 20 * HOUR, **mine)
    closed = make_case(sam, last_name="Closed", received_at=now - 30 * HOUR, **mine)
    case_change_status(actor=alice, case=closed, status="closed", reason="Moved away")
    make_case(sam, last_name="Bobs", received_at=now - 40 * HOUR, assignee=cast.advocate2)

    caseload = my_caseload(alice)

    assert [c.pk for c in caseload] == [high.pk, waiting_longest.pk, cast.case_a.pk, reached.pk]
    assert caseload[0].victim == high.primary_victim.full_name  # the values a row shows
    [audit] = new_audit_events(action=AuditAction.CASE_LIST)
    assert audit.details == {
        "filters": {"caseload": "mine"},
        "shown": [c.pk for c in caseload],
    }


def test_my_caseload_is_empty_for_a_specialist_without_cases(bob):
    assert my_caseload(bob) == []


# case_list


@pytest.fixture
def listed(cast, alice, sam, unassigned):
    """case_a (Alice's, new), unassigned (Ng, received 2h ago), and a closed case of Bob's."""
    Case.objects.filter(pk=unassigned.pk).update(received_at=timezone.now() - 2 * HOUR)
    closed = make_case(
        sam,
        last_name="Moss",
        assignee=cast.advocate2,
        report_number="JA777",
        received_at=timezone.now() - 50 * HOUR,
    )
    case_change_status(actor=sam, case=closed, status="closed", reason="Done")
    return {"a": cast.case_a, "unassigned": unassigned, "closed": closed}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (CaseFilters(), ["unassigned", "a"]),
        (CaseFilters(status="all"), ["unassigned", "a", "closed"]),
        (CaseFilters(status="closed"), ["closed"]),
        (CaseFilters(status="new"), ["unassigned", "a"]),
        (CaseFilters(status="active"), []),
        (CaseFilters(assignee="none"), ["unassigned"]),
        (CaseFilters(status="all", q="ja777"), ["closed"]),
        (CaseFilters(q="NG"), ["unassigned"]),
        (CaseFilters(q="  reyes "), ["a"]),
        # Names are encrypted: a last name matches whole, never its start.
        (CaseFilters(q="rey"), []),
        (CaseFilters(status="all", q="nobody"), []),
    ],
)
def test_case_list_filters(alice, listed, filters, expected):
    assert list(case_list(alice, filters)) == [listed[name] for name in expected]


def test_case_list_filters_by_assignee(cast, alice, listed):
    mine = CaseFilters(status="all", assignee=str(cast.advocate.pk))
    bobs = CaseFilters(status="all", assignee=str(cast.advocate2.pk))

    assert list(case_list(alice, mine)) == [listed["a"]]
    assert list(case_list(alice, bobs)) == [listed["closed"]]


def test_case_list_finds_a_case_by_a_last_name_the_victim_is_known_by(alice, listed):
    person_alias_add(
        actor=alice, person=listed["a"].primary_victim, first_name="", last_name="Whitfield"
    )

    assert list(case_list(alice, CaseFilters(q="WHITFIELD"))) == [listed["a"]]


def test_case_list_finds_a_case_by_its_number(alice, listed):
    number = listed["closed"].number

    assert list(case_list(alice, CaseFilters(status="all", q=number))) == [listed["closed"]]


def test_case_list_stays_within_what_the_actor_may_see(cast, charlie, listed):
    assert list(case_list(charlie, CaseFilters(status="all"))) == [cast.case_b]
    assert list(case_list(charlie, CaseFilters(status="all", q="JA777"))) == []
    assert list(case_list(cast.actor("officer"), CaseFilters(status="all"))) == []


# served_status


def test_served_status_tells_an_officer_only_who_serves_the_victim(cast, new_audit_events):
    officer = cast.actor("officer")

    [row] = served_status(officer, report_number=" ja100001 ")

    assert row == ServedStatus(
        victim_name="Dana Reyes",
        report_number="JA100001",
        being_served=True,
        status_label="Referred, not yet reached",
        specialist="Alice Avery",
        specialist_phone="312-555-0101",
    )
    [audit] = new_audit_events(action=AuditAction.SERVED_STATUS_VIEW)
    assert audit.role == "officer"
    assert audit.details == {"by": "report_number", "found": 1}
    assert new_audit_events(action=AuditAction.CASE_VIEW) == []


def test_served_status_carries_nothing_of_the_record_itself():
    assert {f.name for f in fields(ServedStatus)} == {
        "victim_name",
        "report_number",
        "being_served",
        "status_label",
        "specialist",
        "specialist_phone",
    }


def test_served_status_finds_victims_by_last_name_within_the_agency(
    cast, charlie, new_audit_events
):
    make_case(charlie, first_name="Rita", last_name="Reyes", report_number="LB1")

    rows = served_status(cast.actor("officer"), last_name="REYES")

    assert [(r.victim_name, r.report_number) for r in rows] == [("D. Reyes", "")]
    [audit] = new_audit_events(action=AuditAction.SERVED_STATUS_VIEW)
    assert audit.details == {"by": "last_name", "found": 1}


@pytest.mark.parametrize(
    ("status", "label", "being_served"),
    [
        ("active", "Being served", True),
        ("closed", "No longer being served", False),
        ("declined", "No longer being served", False),
    ],
)
def test_served_status_labels(cast, alice, status, label, being_served):
    case_change_status(actor=alice, case=cast.case_a, status=status, reason="Reason")

    [row] = served_status(cast.actor("officer"), report_number="JA100001")

    assert (row.status_label, row.being_served) == (label, being_served)


def test_served_status_with_nothing_asked_finds_nothing_and_logs_nothing(cast, new_audit_events):
    assert served_status(cast.actor("officer"), report_number="  ", last_name="") == []
    assert new_audit_events() == []


@pytest.mark.parametrize("role", ["analyst", "auditor"])
def test_served_status_is_refused_to_roles_without_it(cast, role, new_audit_events):
    with pytest.raises(PermissionDenied):
        served_status(cast.actor(role), report_number="JA100001")

    assert new_audit_events() == []


# agency_overview


def test_agency_overview_counts_the_agencys_cases(
    cast, alice, sam, unassigned, charlie, new_audit_events
):
    now = timezone.now()
    quick = make_case(
        sam,
        last_name="Quick",
        assignee=cast.advocate,
        received_at=now - 5 * HOUR,
        victimizations=["stalking"],
    )
    contact(alice, quick, now - 4 * HOUR)
    slow = make_case(
        sam,
        last_name="Slow",
        assignee=cast.advocate,
        received_at=now - 40 * HOUR,
        victimizations=["stalking", "robbery"],
    )
    contact(alice, slow, now - 10 * HOUR)
    case_change_status(actor=alice, case=slow, status="closed", reason="Done")
    make_case(charlie, last_name="Elsewhere", victimizations=["arson"])

    overview = agency_overview(cast.actor("analyst"))

    assert overview.by_status == {
        "New": 2,
        "Active": 1,
        "Closed": 1,
        "Declined services": 0,
        "Unable to contact": 0,
    }
    # Most frequent first, ties by code; labels, never a case or a person.
    assert overview.by_victimization == [
        ("Domestic and/or family violence", 2),
        ("Stalking/harassment", 2),
        ("Robbery", 1),
    ]
    assert overview.open_unassigned == 1
    assert overview.awaiting_first_contact == 2
    assert overview.first_contacts == 2
    assert overview.first_contact_within_goal == 1
    [audit] = new_audit_events(action=AuditAction.AGGREGATES_VIEW)
    assert audit.role == "analyst"


@pytest.mark.parametrize("role", ["advocate", "officer", "auditor"])
def test_agency_overview_is_refused_to_roles_without_aggregates(cast, role, new_audit_events):
    with pytest.raises(PermissionDenied):
        agency_overview(cast.actor(role))

    assert new_audit_events() == []


def test_the_first_contact_goal_counts_to_the_microsecond(cast, sam):
    received = timezone.now().replace(microsecond=250_000) - 100 * HOUR
    goal = timedelta(hours=cast.agency_a.first_contact_goal_hours)
    for n, took in enumerate([goal, goal + timedelta(microseconds=1), goal - HOUR]):
        case = make_case(sam, last_name=f"Goal{n}", received_at=received)
        type(case).objects.filter(pk=case.pk).update(first_contact_at=received + took)
    on_the_hour = make_case(sam, last_name="Whole", received_at=received.replace(microsecond=0))
    type(on_the_hour).objects.filter(pk=on_the_hour.pk).update(
        first_contact_at=on_the_hour.received_at + goal + timedelta(microseconds=1)
    )

    overview = agency_overview(cast.actor("analyst"))

    assert (overview.first_contact_within_goal, overview.first_contacts) == (2, 4)


@pytest.mark.parametrize("role", ["supervisor", "coordinator"])
def test_agency_overview_is_open_to_supervisors_and_coordinators(cast, role):
    assert agency_overview(cast.actor(role)).by_status["New"] == 1


# overdue


def test_a_case_waiting_past_the_goal_is_overdue(cast):
    received = cast.case_a.received_at

    assert overdue(cast.case_a, now=received + 25 * HOUR)
    assert not overdue(cast.case_a, now=received + 23 * HOUR)


def test_the_goal_is_the_agencys(cast):
    cast.agency_a.first_contact_goal_hours = 2
    cast.agency_a.save(update_fields=["first_contact_goal_hours"])
    case = Case.objects.select_related("agency").get(pk=cast.case_a.pk)

    assert overdue(case, now=case.received_at + 3 * HOUR)


def test_a_contacted_case_is_never_overdue(cast, alice):
    contact(alice, cast.case_a, timezone.now() - HOUR)
    case = Case.objects.get(pk=cast.case_a.pk)

    assert not overdue(case, now=case.received_at + 100 * HOUR)


def test_an_ended_case_is_never_overdue(cast, alice):
    case_change_status(actor=alice, case=cast.case_a, status="declined", reason="Declined")

    assert not overdue(cast.case_a, now=cast.case_a.received_at + 100 * HOUR)


# case_timeline and open_tasks


def test_the_timeline_is_newest_first(cast, alice):
    case_change_status(actor=alice, case=cast.case_a, status="active", reason="")

    timeline = case_timeline(cast.case_a)

    assert timeline[0].kind == CaseEventKind.STATUS_CHANGED
    assert [e.at for e in timeline] == sorted((e.at for e in timeline), reverse=True)
    assert {e.kind for e in timeline} >= {
        CaseEventKind.CREATED,
        CaseEventKind.ASSIGNED,
        CaseEventKind.CONTACT_LOGGED,
        CaseEventKind.NOTE_ADDED,
        CaseEventKind.TASK_ADDED,
    }


def test_open_tasks_leaves_out_completed_ones(cast, alice):
    task = cast.case_a.tasks.get()
    assert open_tasks(cast.case_a) == [task]

    task_complete(actor=alice, task=task)

    assert open_tasks(cast.case_a) == []


def test_status_constants_cover_the_case_statuses():
    # overdue() and my_caseload() rely on NEW and ACTIVE being the only open statuses.
    assert {s for s in CaseStatus if Case(status=s).is_open} == {
        CaseStatus.NEW,
        CaseStatus.ACTIVE,
    }
