"""A specialist reviews a possible match from an imported report on a phone and links it."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from haven.incidents.models import IncidentPerson, LinkSource, MatchCandidate, MatchStatus
from haven.people.services import person_create
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_specialist_reviews_a_match_and_links_it(phone_page, live_server, live_cast, tmp_path):
    gale = person_create(
        actor=live_cast.actor("advocate"),
        first_name="Gale",
        last_name="Moss",
        date_of_birth=date(1990, 4, 12),
    )
    export = tmp_path / "tonight.jsonl"
    export.write_text(
        json.dumps(
            {
                "incident_number": "RV-77",
                "report_date": "2024-04-02T23:05:00",
                "offense_code": "13B",
                "victim_sequence": 1,
                "victim_type": "I",
                "victim_first_name": "GALE",
                "victim_last_name": "MOSS",
                "victim_dob": "1991-04-12",  # one digit off: a typo, or someone else?
            }
        )
        + "\n"
    )
    call_command(
        "import_incidents",
        str(export),
        "--agency",
        "riverside",
        "--profile",
        "nibrs",
        stdout=StringIO(),
    )
    page = phone_page

    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/matches/")
    group = page.get_by_role("region", name="Report RV-77 · Victim")
    assert group.get_by_text("Apr 12, 1991").is_visible()
    assert group.get_by_role("link", name="Gale Moss").is_visible()
    assert group.get_by_text("different birth date").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the review list scrolls sideways on a phone ({width}px)"

    group.get_by_role("button", name="Same person: link").click()
    page.get_by_text("Linked: the person on report RV-77 is now on their record.").wait_for()
    assert page.get_by_role("button", name="Same person: link").count() == 0

    on_report = IncidentPerson.objects.get(incident__report_number="RV-77")
    assert (on_report.person_id, on_report.link_source) == (gale.pk, LinkSource.REVIEW)
    candidate = MatchCandidate.objects.get(incident_person=on_report)
    assert (candidate.status, candidate.decided_by_id) == (
        MatchStatus.LINKED,
        live_cast.advocate.pk,
    )
