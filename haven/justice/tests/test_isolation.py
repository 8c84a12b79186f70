"""Agency B never sees or changes agency A's court details and obligations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.justice import services
from haven.justice.models import ObligationStatus
from haven.justice.selectors import obligations_overdue

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_obligation(cast, alice, court_case):
    event = services.custody_event_record(
        actor=alice,
        case=cast.case_a,
        court_case=court_case,
        kind="escaped",
        occurred_at=timezone.now() - timedelta(hours=3),
    )
    return event.obligations.get()


def test_another_agencys_specialist_sees_nothing_of_a(cast, client_as, charlie, a_obligation):
    client = client_as("other_advocate")

    listing = client.get("/obligations/?status=open").content.decode()
    honor = client.post(f"/obligations/{a_obligation.pk}/honor/", {"how": "phone"})
    edit = client.get(f"/court-cases/{a_obligation.custody_event.court_case_id}/edit/")

    assert "Victor Vance" not in listing and cast.case_a.number not in listing
    assert honor.status_code == 404 and edit.status_code == 404
    a_obligation.refresh_from_db()
    assert a_obligation.status == ObligationStatus.OPEN
    assert obligations_overdue(charlie) == 0


def test_a_feed_of_agency_b_cannot_reach_as_cases(cast, a_obligation):
    from haven.core.actor import Actor
    from haven.justice.importer import justice_import

    result = justice_import(
        actor=Actor.system(cast.agency_b, "pytest"),
        rows=[
            (
                1,
                {
                    "type": "custody",
                    "report_number": cast.case_a.report_number,
                    "kind": "arrested",
                    "at": timezone.now().isoformat(),
                },
            )
        ],
        source="api",
    )

    assert [(b.line, b.field) for b in result.bad] == [(1, "report_number")]
    assert a_obligation.case.pk == cast.case_a.pk
