"""The outreach queue and auto-assignment by district and caseload."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.agencies.models import District
from haven.cases.testing import make_case
from haven.outreach.queue import auto_assign_queue, outreach_queue

pytestmark = pytest.mark.django_db


def test_the_queue_holds_new_unreached_cases_oldest_first(cast):
    sup = cast.actor("supervisor")
    older = make_case(sup, last_name="Older", received_at=timezone.now() - timedelta(hours=30))
    urgent = make_case(sup, last_name="Urgent", priority="high")
    queue = list(outreach_queue(sup))
    assert queue == [urgent, older, cast.case_a]
    assert list(outreach_queue(sup, unassigned_only=True)) == [urgent, older]


def test_auto_assign_prefers_the_districts_least_loaded_advocate(cast):
    sup = cast.actor("supervisor")
    north = District.objects.create(agency=cast.agency_a, code="020", name="North")
    cast.advocate2.district = north
    cast.advocate2.save()
    in_north = [make_case(sup, last_name=f"N{i}", district=north) for i in range(2)]
    elsewhere = [make_case(sup, last_name=f"E{i}") for i in range(2)]
    assigned = auto_assign_queue(actor=sup)
    assert set(assigned) == set(in_north + elsewhere)
    for case in in_north:
        case.refresh_from_db()
        assert case.assigned_to == cast.advocate2
    # Outside any advocate's district: spread by load. Alice has case_a, Bob now has two.
    for case in elsewhere:
        case.refresh_from_db()
    assert {c.assigned_to for c in elsewhere} == {cast.advocate}


def test_only_supervisors_auto_assign(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        auto_assign_queue(actor=cast.actor("advocate"))


def test_the_queue_page_shows_the_clock_and_supervisors_can_auto_assign(client_as, cast):
    make_case(
        cast.actor("supervisor"),
        last_name="Waiting",
        received_at=timezone.now() - timedelta(hours=30),
    )
    client = client_as("supervisor")
    page = client.get(reverse("outreach:queue")).content.decode()
    assert "Waiting" in page and "overdue" in page
    response = client.post(reverse("outreach:queue_auto_assign"), follow=True)
    assert "1 case assigned" in response.content.decode()
    assert client_as("advocate").post(reverse("outreach:queue_auto_assign")).status_code == 403


def test_the_queue_page_takes_eight_queries_however_long_the_queue(client_as, cast):
    """Pinned (issue #21): the session, the user, the membership, the queue's values, the
    specialists' names, the victimization codes, the access event, the matches waiting."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sup = cast.actor("supervisor")
    client = client_as("supervisor")
    client.get(reverse("outreach:queue"))  # the first page of a session checks more

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("outreach:queue")).content.decode()
        return len(ctx), page

    few, _ = queries()
    for i in range(3):
        make_case(sup, last_name=f"Mine{i}", assignee=cast.advocate, victimizations=["stalking"])
        make_case(sup, last_name=f"Bobs{i}", assignee=cast.advocate2)
        make_case(sup, last_name=f"Nobody{i}")
    many, page = queries()
    assert few == many == 8
    assert page.count('data-label="Specialist">Alice') == 4  # case_a and three more
    assert page.count("<em>Unassigned</em>") == 3
    assert "Stalking" in page


def test_a_queue_longer_than_the_page_says_so(client_as, cast, monkeypatch):
    from haven.outreach import views

    sup = cast.actor("supervisor")
    for i in range(3):
        make_case(sup, last_name=f"Waiting{i}")
    client = client_as("supervisor")
    monkeypatch.setattr(views, "QUEUE_ROWS", 2)
    page = client.get(reverse("outreach:queue")).content.decode()
    assert "these are the 2 most urgent" in page
    assert page.count("<tr>") == 1 + 2  # the header row and the two shown
    monkeypatch.setattr(views, "QUEUE_ROWS", 200)
    assert "most urgent" not in client.get(reverse("outreach:queue")).content.decode()
