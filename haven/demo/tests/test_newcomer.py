"""The demo a newcomer meets (issue 13, item 7): no feature looks empty. Someone is on call at
every hour of the next weeks, victims have safety plans, active cases have follow-up plans,
compensation claims have documents, and every link in a text sent to a person is absolute.
The clock is frozen on a Friday afternoon: the roster is reasoned about in days and hours."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from haven.agencies.models import Agency
from haven.cases.models import Case, CaseStatus
from haven.compensation.models import ExpenseItem
from haven.core.scoping import agency_scope
from haven.followup.models import FollowUp, FollowUpPlan, PlanStatus
from haven.notices.models import Message
from haven.oncall.models import Holiday, OnCallShift
from haven.oncall.roster import Source
from haven.oncall.selectors import on_call_now
from haven.safety.demo import PLANS
from haven.safety.models import SafetyPlan, SafetyPlanRevision

FRIDAY = datetime(2026, 12, 4, 21, 45, tzinfo=UTC)  # 3:45 pm in Riverside (Chicago)
WEEKS = 5
# A path written without the site in front of it: "/n/abc/" after a space, colon or start.
RELATIVE_LINK = re.compile(r"(?:^|[\s:(])/[\w-]+/")

# One worker runs the module (make test: --dist loadgroup), so the demo is built once.
pytestmark = pytest.mark.xdist_group("demo_newcomer")


@pytest.fixture(scope="module")
def riverside_built(built_once):
    with built_once():
        with time_machine.travel(FRIDAY, tick=False):
            call_command(
                "demo",
                agencies=1,
                cases=80,
                site_url="https://haven.example.org",
                stdout=io.StringIO(),
            )
        yield


@pytest.fixture
def riverside(riverside_built, db):
    agency = Agency.objects.get(slug="riverside")
    with agency_scope(agency):
        yield agency


def test_someone_is_on_call_at_every_hour_of_the_next_weeks(riverside):
    at = FRIDAY
    sources = set()
    while at < FRIDAY + timedelta(weeks=WEEKS):
        oncall = on_call_now(riverside, at)
        assert oncall.member is not None, at
        assert oncall.member.is_active and oncall.phone
        sources.add(oncall.source)
        at += timedelta(minutes=59)  # drifts across the hour, so both halves of each slot count
    # The weekly pattern carries it; swapped shifts and the training day's cover show too.
    assert {Source.PATTERN, Source.SHIFT, Source.HOLIDAY} <= sources
    assert OnCallShift.objects.filter(agency=riverside, starts_at__gt=FRIDAY).count() == 3
    holiday = Holiday.objects.get(agency=riverside)
    assert holiday.date == FRIDAY.astimezone(riverside.tz).date() + timedelta(days=10)


def test_the_on_call_page_names_someone_for_the_officer(riverside, client):
    officer = get_user_model().objects.get(username="officer")
    with time_machine.travel(FRIDAY + timedelta(days=2, hours=9), tick=False):  # Sunday, 0:45 am
        client.force_login(officer)
        expected = on_call_now(riverside)
        response = client.get("/on-call/now/")
    assert response.status_code == 200
    assert expected.member is not None
    assert expected.member.display_name in response.content.decode()


def test_victims_on_open_cases_have_safety_plans_some_revised(riverside):
    plans = SafetyPlan.objects.filter(agency=riverside)
    active = Case.objects.filter(agency=riverside, status=CaseStatus.ACTIVE).count()
    assert plans.count() == min(PLANS, active) > 3
    for plan in plans:
        revisions = list(plan.revisions.order_by("number"))
        assert [r.number for r in revisions] == list(range(1, plan.revision_count + 1))
        case = revisions[0].case
        assert case.status == CaseStatus.ACTIVE and case.primary_victim_id == plan.person_id
        assert revisions[0].created_by_id == case.assigned_to_id  # written by the specialist
    assert SafetyPlanRevision.objects.filter(agency=riverside, number=2).exists()


def test_active_cases_have_follow_up_plans_with_a_check_in_ahead(riverside):
    plans = FollowUpPlan.objects.filter(agency=riverside, status=PlanStatus.ACTIVE)
    active = Case.objects.filter(agency=riverside, status=CaseStatus.ACTIVE).count()
    assert plans.count() == active
    assert plans.filter(rule__isnull=True).count() == 2  # set by hand, every three days
    pending = FollowUp.objects.filter(agency=riverside, kind="check_in", done_at__isnull=True)
    assert pending.count() == active
    assert not pending.filter(due_at__lt=FRIDAY).exists()


def test_compensation_claims_have_documents_in_hand(riverside):
    assert ExpenseItem.objects.filter(agency=riverside).exclude(documents_received=[]).exists()


def test_texts_sent_to_people_hold_only_absolute_links(riverside):
    bodies = [m.body for m in Message.objects.filter(agency=riverside)]
    assert bodies
    linked = [body for body in bodies if "https://haven.example.org/" in body]
    assert linked, "the demo's texts should show an opt-out link"
    for body in bodies:
        assert not RELATIVE_LINK.search(body), body
