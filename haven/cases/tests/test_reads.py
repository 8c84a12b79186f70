"""Who has opened a case or a person: the panel for supervisors and the record's own
specialist, and the auditor's per-person access report (docs/security.md)."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from haven.agencies.roles import Role
from haven.audit.models import AuditEvent
from haven.cases.related_people import case_add_new_person
from haven.cases.selectors import CaseFilters
from haven.cases.testing import make_case, make_member
from haven.consent.case_export import case_list_csv

CHICAGO = ZoneInfo("America/Chicago")


def _last_event(user):
    return AuditEvent.objects.filter(actor_id=user.pk).order_by("-seq").first()


@pytest.fixture
def volunteer(cast):
    return make_member(cast.agency_a, "val", Role.VOLUNTEER, full_name="Val Volunteer")


@pytest.fixture
def opened(client, cast):
    """Alice opened the case and Dana's page; Bob opened the case; then the test client is
    signed out."""
    case = cast.case_a
    client.force_login(cast.advocate.user)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.get(f"/people/{case.primary_victim_id}/").status_code == 200
    client.force_login(cast.advocate2.user)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    client.logout()
    return case


# --- Who may see the panel ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["supervisor", "coordinator", "advocate"])
def test_a_supervisor_and_the_assigned_specialist_see_who_opened_the_case(
    client, cast, opened, role
):
    user = getattr(cast, role).user
    client.force_login(user)
    response = client.get(f"/cases/{opened.pk}/opened-by/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Alice Avery" in body and "(Advocate)" in body
    assert "Bob Burke" in body
    assert "Viewed a case" in body and "Viewed a person" in body
    assert response["Cache-Control"] == "no-store"
    event = _last_event(user)
    assert (event.action, event.object_type, event.object_id) == (
        "audit.reads_view",
        "cases.case",
        str(opened.pk),
    )


@pytest.mark.parametrize("role", ["advocate2", "officer", "analyst", "auditor"])
def test_anyone_else_is_refused_the_case_panel_and_the_attempt_is_logged(
    client, cast, opened, role
):
    member = getattr(cast, role)
    client.force_login(member.user)
    response = client.get(f"/cases/{opened.pk}/opened-by/")

    assert response.status_code == 403
    assert "Alice Avery" not in response.content.decode()
    event = _last_event(member.user)
    assert (event.action, event.object_id) == ("audit.reads_refused", str(opened.pk))


def test_a_volunteer_outside_the_case_gets_404_as_for_the_case_itself(
    client, cast, opened, volunteer
):
    client.force_login(volunteer.user)

    assert client.get(f"/cases/{opened.pk}/").status_code == 404
    assert client.get(f"/cases/{opened.pk}/opened-by/").status_code == 404


def test_another_agency_gets_404_for_the_case_and_person_panels(client, cast, opened):
    client.force_login(cast.other_advocate.user)

    assert client.get(f"/cases/{opened.pk}/opened-by/").status_code == 404
    assert client.get(f"/people/{opened.primary_victim_id}/opened-by/").status_code == 404


def test_the_person_panel_for_the_supervisor_and_the_specialist_only(client, cast, opened):
    path = f"/people/{opened.primary_victim_id}/opened-by/"
    for member, status in [(cast.supervisor, 200), (cast.advocate, 200), (cast.advocate2, 403)]:
        client.force_login(member.user)
        response = client.get(path)
        assert response.status_code == status, member
    client.force_login(cast.supervisor.user)
    assert "Alice Avery" in client.get(path).content.decode()


def test_the_case_and_person_pages_link_to_the_panel_for_those_who_may_see_it(client, cast, opened):
    link = f"/cases/{opened.pk}/opened-by/"
    client.force_login(cast.advocate.user)
    assert link in client.get(f"/cases/{opened.pk}/").content.decode()
    client.force_login(cast.advocate2.user)
    assert link not in client.get(f"/cases/{opened.pk}/").content.decode()
    client.force_login(cast.supervisor.user)
    person_page = client.get(f"/people/{opened.primary_victim_id}/").content.decode()
    assert f"/people/{opened.primary_victim_id}/opened-by/" in person_page


# --- The auditor's per-person report -------------------------------------------------------


@pytest.fixture
def others(cast, alice):
    """A relative on Dana's case, and another case with another victim, both opened."""
    relative = case_add_new_person(
        actor=alice, case=cast.case_a, first_name="Pat", last_name="Reyes", relation="family"
    ).person
    other_case = make_case(alice, first_name="Lee", last_name="Park", assignee=cast.advocate)
    return relative, other_case


def test_the_report_lists_reads_of_the_persons_cases_and_exports_and_no_one_elses(
    client, cast, opened, others, sam
):
    relative, other_case = others
    client.force_login(cast.advocate.user)
    client.get(f"/people/{relative.pk}/")  # the relative's page: not Dana's
    client.get(f"/cases/{other_case.pk}/")  # another victim's case
    case_list_csv(actor=sam, filters=CaseFilters(status="all"), reason="Quarterly grant audit")
    client.force_login(cast.auditor.user)

    response = client.get(f"/audit/people/{opened.primary_victim_id}/report/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Who has seen your records" in body
    assert f"Record number {opened.primary_victim_id}" in body
    # Alice and Bob opened Dana's case; not Lee Park's case, nor Pat's page, though Alice did.
    assert body.count("Opened your case record") == 2
    assert body.count("Opened the page with your personal details") == 1
    assert "Downloaded a list of cases that included your case (no names in it)" in body
    assert "Quarterly grant audit" in body and "Sam Sutter (Supervisor)" in body
    assert "Alice Avery (Advocate)" in body and "Bob Burke (Advocate)" in body
    assert "Dana" not in body and "Pat" not in body and "Lee" not in body  # an auditor's eyes
    lines = AuditEvent.objects.filter(object_type="people.person", action="person.view")
    assert lines.filter(object_id=str(relative.pk)).exists()  # the relative's read happened
    event = _last_event(cast.auditor.user)
    assert event.action == "audit.reads_report"
    assert event.object_id == str(opened.primary_victim_id)
    assert event.details["format"] == "html" and event.details["reads"] == 4


def test_the_report_as_csv_and_pdf_and_each_is_logged(client, cast, opened):
    client.force_login(cast.auditor.user)
    path = f"/audit/people/{opened.primary_victim_id}/report/"

    as_csv = client.get(path, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    as_pdf = client.get(path, {"format": "pdf"})

    assert as_csv["Content-Type"].startswith("text/csv")
    assert rows[0][:5] == ["When", "Time zone", "Who", "Role", "What they did"]
    assert {r[2] for r in rows[1:]} == {"Alice Avery", "Bob Burke"}
    assert as_pdf["Content-Type"] == "application/pdf" and as_pdf.content.startswith(b"%PDF")
    assert as_pdf["Cache-Control"] == "no-store"
    formats = AuditEvent.objects.filter(action="audit.reads_report").values_list(
        "details__format", flat=True
    )
    assert sorted(formats) == ["csv", "pdf"]


@pytest.mark.parametrize("role", ["supervisor", "advocate", "officer"])
def test_only_an_auditor_makes_the_report_and_a_refusal_is_logged(client, cast, opened, role):
    user = getattr(cast, role).user
    client.force_login(user)

    response = client.get(f"/audit/people/{opened.primary_victim_id}/report/")

    assert response.status_code == 403
    assert "Dana" not in response.content.decode()
    assert _last_event(user).action == "audit.reads_refused"
    assert not AuditEvent.objects.filter(action="audit.reads_report").exists()


def test_an_auditor_of_another_agency_gets_404(client, cast, opened):
    auditor_b = make_member(cast.agency_b, "bud", Role.AUDITOR, full_name="Bud Bee")
    client.force_login(auditor_b.user)

    assert client.get(f"/audit/people/{opened.primary_victim_id}/report/").status_code == 404
    assert client.get("/audit/people/", {"person": opened.primary_victim_id}).status_code == 302


def test_the_report_shows_agency_time_and_its_dates_are_agency_days(clock, client, cast):
    """Reads at 11:30 PM on Dec 1 and 9:00 AM on Dec 2 in Chicago (05:30 and 15:00 UTC on
    Dec 2): a report from Dec 2 shows only the second, in Chicago time."""
    case = cast.case_a
    client.force_login(cast.advocate.user)
    clock.move_to(datetime(2026, 12, 1, 23, 30, tzinfo=CHICAGO), tick=False)
    client.get(f"/cases/{case.pk}/")
    clock.move_to(datetime(2026, 12, 2, 9, 0, tzinfo=CHICAGO), tick=False)
    client.force_login(cast.advocate.user)  # a new day, a new sign-in (idle sessions end)
    client.get(f"/cases/{case.pk}/")
    client.force_login(cast.auditor.user)
    path = f"/audit/people/{case.primary_victim_id}/report/"

    whole = client.get(path).content.decode()
    from_dec_2 = client.get(path, {"start": "2026-12-02", "end": "2026-12-02"}).content.decode()
    to_dec_1 = client.get(path, {"end": "2026-12-01", "format": "csv"}).content.decode()

    assert "Dec 1, 2026 11:30 PM CST" in whole and "Dec 2, 2026 9:00 AM CST" in whole
    assert "Dec 2, 2026 9:00 AM CST" in from_dec_2 and "11:30 PM" not in from_dec_2
    assert "from December 2, 2026 to December 2, 2026" in from_dec_2
    rows = list(csv.reader(io.StringIO(to_dec_1)))[1:]
    assert [r[:2] for r in rows] == [["2026-12-01 23:30", "CST"]]


def test_reads_found_by_the_case_or_person_in_their_details(client, cast, opened, others):
    """A lethality screen names its case in the log's details, a safety plan its case and
    person: the case's list has both; Dana's report has her screen, not Pat's plan."""
    from haven.lethality.testing import make_screen

    relative, _ = others
    screen = make_screen(opened)
    client.force_login(cast.advocate.user)
    assert client.get(f"/lethality/{screen.pk}/").status_code == 200
    assert client.get(f"/cases/{opened.pk}/safety-plans/{relative.pk}/").status_code == 200
    client.force_login(cast.supervisor.user)
    panel = client.get(f"/cases/{opened.pk}/opened-by/").content.decode()
    client.force_login(cast.auditor.user)
    report = client.get(f"/audit/people/{opened.primary_victim_id}/report/").content.decode()

    assert "Viewed a lethality screen" in panel and "Viewed a safety plan" in panel
    assert "Read a danger assessment (lethality screen) on your case" in report
    assert "safety plan" not in report
