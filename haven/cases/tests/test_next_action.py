"""My caseload says what is next on each case (follow-up, protocol step, court date, right
owed, task), in a number of queries that does not grow with the caseload."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.cases.testing import make_case
from haven.core.scoping import agency_scope
from haven.justice import services as justice
from haven.protocols.services import protocol_start, protocol_templates_start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_a_wednesday(clock):
    yield clock


def next_cell(html: str, number: str) -> str:
    row = html[html.index(f">{number}</a>") :]
    cell = row[row.index('data-label="Next"') :]
    return cell[: cell.index("</td>")]


def test_each_row_shows_the_soonest_next_action(cast, alice, cora, client_as):
    client = client_as("advocate")
    cell = next_cell(client.get("/cases/mine/").content.decode(), cast.case_a.number)
    assert "Task:" in cell and "Call back after 5pm" in cell  # due in 4 hours

    with agency_scope(cast.agency_a):
        [dv] = [t for t in protocol_templates_start(actor=cora) if t.key == "domestic-violence"]
        protocol_start(actor=alice, case=cast.case_a, template=dv)
        court_case = justice.court_case_save(
            actor=alice, case=cast.case_a, court="Circuit Court", number="26CR7"
        )
        justice.court_event_record(
            actor=alice,
            court_case=court_case,
            kind="arraignment",
            scheduled_at=timezone.now() + timedelta(hours=2),
        )
    cell = next_cell(client.get("/cases/mine/").content.decode(), cast.case_a.number)
    # A right owed because of the hearing (notice of it) is due first of all.
    assert cell.startswith('data-label="Next"')
    assert "Right owed:" in cell or "Court date:" in cell
    assert "more" in cell


def test_a_late_action_says_so(cast, clock, client_as):
    clock.move_to(timezone.now() + timedelta(hours=6))
    cell = next_cell(client_as("advocate").get("/cases/mine/").content.decode(), cast.case_a.number)
    assert "late since" in cell and "haven-late" in cell


def test_the_caseload_takes_the_same_queries_for_two_cases_or_eight(cast, sam, client_as):
    client = client_as("advocate")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/cases/mine/").status_code == 200
        return len(queries)

    with agency_scope(cast.agency_a):
        make_case(sam, assignee=cast.advocate, victimizations=["homicide_survivor"])
    two = count()
    with agency_scope(cast.agency_a):
        for i in range(6):
            make_case(sam, assignee=cast.advocate, last_name=f"Row{i}")
    # Pinned (issue #21): the session, the user, the membership, the caseload's values, the
    # access event, five providers of next actions, the victimization codes.
    assert count() == two == 11
