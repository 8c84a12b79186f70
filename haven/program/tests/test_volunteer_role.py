"""The volunteer role: never a privileged note, never an export, on every path that leads to
one (pages, API, services), and a right the role may not hold is refused with a message."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.cases.selectors import CaseFilters
from haven.cases.services import case_assign, note_add
from haven.cases.testing import make_case
from haven.compensation.services import claim_packet
from haven.consent.case_export import case_list_csv
from haven.core.roles import (
    ROLE_PERMISSIONS,
    VOLUNTEER_NEVER,
    Perm,
    Role,
    role_permissions_check,
)
from haven.lib.quarters import Quarter
from haven.partners.hsds.exporting import hsds_export
from haven.program import selectors
from haven.program.export import activities_csv
from haven.reports.figures import Filters
from haven.reports.pmt import pmt_report
from haven.reports.selectors import dashboard
from haven.reports.services import pmt_export

PRIVILEGED = "Victim disclosed prior strangulation; wants no police contact."
SHAREABLE = "Victim asked for a shelter bed list."


@pytest.fixture
def queue_case(cast, sam):
    """An unassigned case (the queue a volunteer sees), with one note of each kind."""
    case = make_case(sam, first_name="Quinn", last_name="Queue", report_number="JA100009")
    note_add(actor=sam, case=case, body=PRIVILEGED, visibility="privileged")
    note_add(actor=sam, case=case, body=SHAREABLE, visibility="shareable")
    return case


@pytest.fixture
def as_val(client, volunteer):
    client.force_login(volunteer.user)
    return client


def test_the_role_holds_none_of_the_rights_a_volunteer_may_never_hold():
    assert not ROLE_PERMISSIONS[Role.VOLUNTEER] & VOLUNTEER_NEVER
    assert {Perm.NOTE_PRIVILEGED, Perm.CASE_EXPORT, Perm.AGGREGATES_VIEW} <= VOLUNTEER_NEVER


def test_giving_a_volunteer_a_right_their_role_may_not_hold_is_refused_with_a_message():
    with pytest.raises(ValueError, match="may not hold case.export.*take these rights out"):
        role_permissions_check(Role.VOLUNTEER, frozenset({Perm.CASE_VIEW, Perm.CASE_EXPORT}))
    role_permissions_check(Role.ADVOCATE, frozenset({Perm.CASE_EXPORT}))  # others may


def test_a_volunteer_may_not_be_given_a_case_to_hold(cast, sam, volunteer):
    with pytest.raises(ValidationError) as refused:
        case_assign(actor=sam, case=cast.case_a, assignee=volunteer)
    assert "volunteer or intern and may not hold a case" in refused.value.messages[0]
    cast.case_a.refresh_from_db()
    assert cast.case_a.assigned_to == cast.advocate


# --- Privileged notes ------------------------------------------------------------------------


def test_the_note_service_refuses_a_privileged_note_with_what_to_do(val, queue_case):
    with pytest.raises(ValidationError) as refused:
        note_add(actor=val, case=queue_case, body="x", visibility="privileged")
    assert "Shareable with consent" in refused.value.message_dict["visibility"][0]
    assert note_add(actor=val, case=queue_case, body="Called back.", visibility="shareable")


def test_the_note_form_refuses_a_privileged_note(as_val, queue_case):
    answer = as_val.post(
        f"/cases/{queue_case.pk}/notes/", {"body": "Secret", "visibility": "privileged"}
    )
    assert answer.status_code in (200, 302, 400)
    assert queue_case.notes.count() == 2
    page = as_val.get(f"/cases/{queue_case.pk}/") if answer.status_code == 302 else answer
    assert "may not write privileged notes" in page.content.decode()


def test_the_api_refuses_a_privileged_note(as_val, queue_case):
    answer = as_val.post(
        f"/api/v1/cases/{queue_case.pk}/notes/",
        {"body": "Secret", "visibility": "privileged"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert queue_case.notes.count() == 2


def test_the_case_page_withholds_privileged_notes(as_val, client_as, queue_case):
    text = as_val.get(f"/cases/{queue_case.pk}/").content.decode()
    assert SHAREABLE in text and PRIVILEGED not in text
    assert "not shown to volunteers and interns" in text
    assert PRIVILEGED in client_as("supervisor").get(f"/cases/{queue_case.pk}/").content.decode()


def test_the_api_withholds_privileged_notes(as_val, client_as, queue_case):
    notes = as_val.get(f"/api/v1/cases/{queue_case.pk}/").json()["notes"]
    assert [n["body"] for n in notes] == [SHAREABLE]
    everyone = client_as("supervisor").get(f"/api/v1/cases/{queue_case.pk}/").json()["notes"]
    assert len(everyone) == 2


# --- Exports ---------------------------------------------------------------------------------

EXPORT_PAGES = [
    ("get", "/cases/export/"),
    ("post", "/cases/export/"),
    ("get", "/reports/pmt/?quarter=2027Q1&format=csv"),
    ("get", "/reports/pmt/?quarter=2027Q1&format=xlsx"),
    ("get", "/reports/"),
    ("post", "/partners/export/"),
    ("get", "/imports/1/refused.csv"),
    ("get", "/program/activities.csv"),
    ("get", "/program/quarter/"),
    ("get", "/operator/statewide/"),
    ("get", "/operator/statewide.csv?q=2027Q1"),
]


@pytest.mark.parametrize(("method", "url"), EXPORT_PAGES)
def test_every_export_page_refuses_a_volunteer(as_val, method, url):
    assert getattr(as_val, method)(url).status_code == 403, url


def test_the_claim_packet_is_refused(as_val, val):
    with pytest.raises(PermissionDenied):
        claim_packet(actor=val, claim=SimpleNamespace(agency_id=val.agency.pk))


def test_every_export_service_refuses_a_volunteer(val):
    quarter = Quarter(2027, 1)
    refused = [
        lambda: case_list_csv(actor=val, filters=CaseFilters(), reason="audit"),
        lambda: pmt_report(val, quarter),
        lambda: pmt_export(actor=val, quarter=quarter, fmt="csv"),
        lambda: dashboard(val, Filters(start=date(2026, 10, 1), end=date(2026, 12, 1))),
        lambda: hsds_export(actor=val),
        lambda: activities_csv(val, selectors.ActivityFilters()),
        lambda: selectors.volunteers(val, quarter.start, quarter.end),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()


def test_a_volunteer_lands_on_their_hours(as_val):
    answer = as_val.get("/")
    assert answer.status_code == 302 and answer.url == "/program/hours/"
    assert as_val.get("/program/hours/").status_code == 200
