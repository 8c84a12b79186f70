from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.assistance.models import ServiceProvided
from haven.assistance.selectors import services_by_category, services_for_case
from haven.assistance.services import service_provide, service_remove
from haven.audit.models import AuditAction
from haven.cases.testing import make_case


def period():
    today = timezone.localdate()
    return today - timedelta(days=7), today


def by_code(counts):
    cats = {c.code: c for c in counts.categories}
    subs = {s.code: s for c in counts.categories for s in c.sub_services}
    return cats, subs


def test_counts_give_times_and_unique_individuals_per_category_and_sub_service(
    cast, alice, sam, provide, sister, new_audit_events
):
    other_case = make_case(sam, first_name="Kim", last_name="Ortiz", assignee=cast.advocate)
    provide(alice, "C1", ago=timedelta(hours=1))
    provide(alice, "C1", ago=timedelta(hours=2))  # the victim again: one individual, two times
    provide(alice, "C4", person=sister)  # the sister: a second individual in C
    provide(alice, "A1", case=other_case)
    provide(alice, "A3", case=other_case, ago=timedelta(hours=1))
    removed = provide(alice, "D1")
    service_remove(actor=alice, service=removed, reason="Wrong service")
    provide(cast.actor("other_advocate"), "C1", case=cast.case_b)  # agency B: not counted

    counts = services_by_category(cast.actor("analyst"), *period())

    cats, subs = by_code(counts)
    assert [c.code for c in counts.categories] == ["A", "B", "C", "D", "E"]
    assert (cats["C"].times, cats["C"].individuals) == (3, 2)
    assert (cats["A"].times, cats["A"].individuals) == (2, 1)
    assert (cats["D"].times, cats["D"].individuals) == (0, 0)
    assert (subs["C1"].times, subs["C1"].individuals) == (2, 1)
    assert (subs["C4"].times, subs["C4"].individuals) == (1, 1)
    assert (subs["A1"].times, subs["A3"].times) == (1, 1)
    assert subs["E10"].times == 0 and subs["E10"].label == "Criminal advocacy/accompaniment"
    assert (counts.times, counts.individuals) == (5, 3)
    [audit] = new_audit_events(action=AuditAction.AGGREGATES_VIEW)
    assert audit.object_type == "assistance.services"
    assert audit.actor_label == "ana"


def test_dates_are_whole_days_in_the_agencys_time_zone_both_included(cast, alice):
    cast.case_a.received_at = datetime(2025, 9, 20, 12, 0, tzinfo=UTC)
    cast.case_a.save(update_fields=["received_at"])

    def at(moment):
        service_provide(actor=alice, case=cast.case_a, sub_service="A1", provided_at=moment)

    at(datetime(2025, 10, 1, 4, 30, tzinfo=UTC))  # Sep 30, 11:30 PM in Chicago (CDT): before
    at(datetime(2025, 10, 1, 5, 30, tzinfo=UTC))  # Oct 1, 12:30 AM in Chicago: in
    at(datetime(2026, 1, 1, 5, 30, tzinfo=UTC))  # Dec 31, 11:30 PM in Chicago (CST): in
    at(datetime(2026, 1, 1, 6, 30, tzinfo=UTC))  # Jan 1, 12:30 AM in Chicago: after
    ServiceProvided.objects.update(created_at=datetime(2025, 10, 1, tzinfo=UTC))

    counts = services_by_category(cast.actor("analyst"), date(2025, 10, 1), date(2025, 12, 31))

    assert counts.times == 2
    assert counts.start == datetime(2025, 10, 1, 5, 0, tzinfo=UTC)
    assert counts.end == datetime(2026, 1, 1, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize("role", ["analyst", "supervisor", "coordinator", "advocate"])
def test_roles_with_aggregates_or_every_case_may_count(cast, role):
    assert services_by_category(cast.actor(role), *period()).times == 0


@pytest.mark.parametrize("role", ["officer", "auditor"])
def test_other_roles_may_not_count(cast, role, new_audit_events):
    with pytest.raises(PermissionDenied):
        services_by_category(cast.actor(role), *period())

    assert new_audit_events() == []


def test_counting_takes_the_same_queries_however_many_services(cast, alice, provide):
    provide(alice, "C1", ago=timedelta(hours=1))
    with CaptureQueriesContext(connection) as few:
        services_by_category(cast.actor("analyst"), *period())
    for hours in range(2, 22):
        provide(alice, "A1", ago=timedelta(hours=hours))
    with CaptureQueriesContext(connection) as many:
        services_by_category(cast.actor("analyst"), *period())

    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_cases_services_come_newest_first_without_removed_ones(cast, alice, provide):
    older = provide(alice, "A1", ago=timedelta(hours=2))
    newer = provide(alice, "C1", ago=timedelta(minutes=5))
    removed = provide(alice, "D1", ago=timedelta(minutes=1))
    service_remove(actor=alice, service=removed, reason="Wrong service")

    assert list(services_for_case(alice, cast.case_a)) == [newer, older]


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_a_cases_services_are_not_for_roles_that_read_no_case(cast, role):
    with pytest.raises(PermissionDenied):
        services_for_case(cast.actor(role), cast.case_a)


def test_a_cases_services_are_not_for_another_agency(cast, charlie):
    with pytest.raises(PermissionDenied):
        services_for_case(charlie, cast.case_a)
