"""The case pages as each role uses them: what they show, what they refuse, what they change."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.audit.models import AuditAction, AuditEvent
from haven.cases.models import Assignment, CaseStatus, Contact, Note, Task

pytestmark = pytest.mark.django_db


def local_input(dt):
    """A datetime-local field value in the agency's zone (America/Chicago for agency A)."""
    return (
        timezone.localtime(dt, timezone.get_fixed_timezone(0))
        .astimezone(__import__("zoneinfo").ZoneInfo("America/Chicago"))
        .strftime("%Y-%m-%dT%H:%M")
    )


def test_each_role_lands_on_its_own_start_page(client_as):
    expected = {
        "advocate": "/cases/mine/",
        "supervisor": "/cases/",
        "officer": "/served/",
        "analyst": "/reports/",  # the reports dashboard (haven/reports)
        "auditor": "/audit/",
    }
    for role, url in expected.items():
        response = client_as(role).get("/")
        assert response.status_code == 302 and response.url == url, role


def test_signed_out_visitors_are_sent_to_sign_in(client, cast):
    response = client.get(reverse("cases:detail", args=[cast.case_a.pk]))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_advocate_sees_their_caseload(client_as, cast):
    response = client_as("advocate").get(reverse("cases:caseload"))
    assert response.status_code == 200
    assert cast.case_a.number in response.content.decode()
    event = AuditEvent.objects.filter(action=AuditAction.CASE_LIST).latest("id")
    assert event.details["shown"] == [cast.case_a.pk]


def test_the_case_page_shows_contacts_notes_tasks_and_is_audited(client_as, cast):
    response = client_as("advocate").get(reverse("cases:detail", args=[cast.case_a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Victim asked to be called after 5pm at work." in page
    assert "Left a voicemail".lower() in page.lower()
    assert "Call back after 5pm" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.CASE_VIEW, object_id=str(cast.case_a.pk), actor_label="alice"
    ).exists()


def test_the_case_page_has_each_element_id_once(client_as, cast):
    """Every app adds a section with forms to the case page: a repeated id would point a
    label (and a screen reader) at another section's field."""
    page = client_as("supervisor").get(reverse("cases:detail", args=[cast.case_a.pk]))
    ids = re.findall(r'\sid="([^"]+)"', page.content.decode())
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_times_show_in_the_agencys_time_zone(client_as, cast):
    case = cast.case_a
    case.received_at = datetime(2026, 7, 1, 15, 30, tzinfo=UTC)  # 10:30 AM in Chicago (CDT)
    case.save(update_fields=["received_at"])
    page = client_as("advocate").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Jul 1, 2026 10:30 AM CDT" in page


def test_logging_a_completed_call_sets_first_contact_and_activates(client_as, cast):
    when = timezone.now() - timedelta(minutes=30)
    response = client_as("advocate").post(
        reverse("cases:contact_create", args=[cast.case_a.pk]),
        {
            "outcome": "completed",
            "channel": "phone",
            "direction": "outbound",
            "occurred_at": local_input(when),
            "duration_minutes": "25",
            "summary": "Discussed safety plan; will call Friday.",
        },
    )
    assert response.status_code == 302
    cast.case_a.refresh_from_db()
    assert cast.case_a.status == CaseStatus.ACTIVE
    assert abs(cast.case_a.first_contact_at - when) < timedelta(minutes=1)
    contact = Contact.objects.get(case=cast.case_a, outcome="completed")
    assert contact.summary == "Discussed safety plan; will call Friday."


def test_a_contact_over_htmx_returns_the_activity_panel(client_as, cast):
    response = client_as("advocate").post(
        reverse("cases:contact_create", args=[cast.case_a.pk]),
        {
            "outcome": "attempted",
            "channel": "text",
            "direction": "outbound",
            "attempt_result": "message_sent",
            "occurred_at": local_input(timezone.now()),
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page and "Timeline" in page
    assert Contact.objects.filter(case=cast.case_a, channel="text").count() == 1


def test_a_contact_in_the_future_is_refused_on_the_form(client_as, cast):
    response = client_as("advocate").post(
        reverse("cases:contact_create", args=[cast.case_a.pk]),
        {
            "outcome": "completed",
            "channel": "phone",
            "direction": "outbound",
            "occurred_at": local_input(timezone.now() + timedelta(days=2)),
        },
    )
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    assert not Contact.objects.filter(case=cast.case_a, outcome="completed").exists()


def test_adding_a_note_and_a_task_and_completing_it(client_as, cast):
    client = client_as("advocate")
    client.post(
        reverse("cases:note_create", args=[cast.case_a.pk]),
        {"body": "Shelter bed confirmed.", "visibility": "shareable"},
    )
    assert [n.body for n in Note.objects.filter(case=cast.case_a, visibility="shareable")] == [
        "Shelter bed confirmed."
    ]
    client.post(
        reverse("cases:task_create", args=[cast.case_a.pk]),
        {"title": "Court accompaniment", "due_at": local_input(timezone.now() + timedelta(days=3))},
    )
    task = Task.objects.get(case=cast.case_a, title="Court accompaniment")
    response = client.post(reverse("cases:task_done", args=[task.pk]), {"next": "//evil.example"})
    assert response.url == reverse("cases:detail", args=[cast.case_a.pk])
    task.refresh_from_db()
    assert task.completed_at is not None


def test_an_empty_note_says_what_to_fix(client_as, cast):
    response = client_as("advocate").post(
        reverse("cases:note_create", args=[cast.case_a.pk]),
        {"body": "  ", "visibility": "privileged"},
    )
    assert response.status_code == 400
    assert Note.objects.filter(case=cast.case_a).count() == 1


def test_the_supervisor_sees_every_case_and_reassigns(client_as, cast):
    client = client_as("supervisor")
    listing = client.get(reverse("cases:list"), {"status": "all"}).content.decode()
    assert cast.case_a.number in listing
    response = client.post(
        reverse("cases:assign", args=[cast.case_a.pk]),
        {"assignee": cast.advocate2.pk, "reason": "Speaks Spanish"},
    )
    assert response.status_code == 302
    cast.case_a.refresh_from_db()
    assert cast.case_a.assigned_to == cast.advocate2
    history = list(Assignment.objects.filter(case=cast.case_a).order_by("started_at"))
    assert [a.assignee for a in history] == [cast.advocate, cast.advocate2]
    assert history[0].ended_at is not None and history[1].ended_at is None


def test_an_advocate_cannot_reassign(client_as, cast):
    response = client_as("advocate").post(
        reverse("cases:assign", args=[cast.case_a.pk]), {"assignee": cast.advocate2.pk}
    )
    assert response.status_code == 403
    cast.case_a.refresh_from_db()
    assert cast.case_a.assigned_to == cast.advocate


def test_the_own_caseload_setting_hides_colleagues_cases(client_as, cast):
    cast.agency_a.advocates_see_own_caseload_only = True
    cast.agency_a.save()
    client = client_as("advocate2")
    assert client.get(reverse("cases:detail", args=[cast.case_a.pk])).status_code == 404
    assert cast.case_a.number not in client.get(reverse("cases:list")).content.decode()


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_non_specialists_never_open_a_case(client_as, cast, role):
    client = client_as(role)
    response = client.get(reverse("cases:detail", args=[cast.case_a.pk]))
    assert response.status_code in (403, 404)
    assert "called after 5pm" not in response.content.decode()
    assert client.get(reverse("people:detail", args=[cast.victim_a.pk])).status_code in (403, 404)


def test_the_officer_sees_who_serves_a_victim_and_nothing_else(client_as, cast):
    response = client_as("officer").get(reverse("cases:served"), {"report_number": "ja100001"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dana Reyes" in page and "Alice Avery" in page
    assert "called after 5pm" not in page and "555-0142" not in page


def test_the_analyst_sees_aggregates_without_names(client_as, cast):
    response = client_as("analyst").get(reverse("cases:overview"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Domestic and/or family violence" in page
    assert "Dana" not in page and "Reyes" not in page


def test_the_auditor_reads_and_verifies_the_log(client_as, cast):
    client = client_as("auditor")
    assert client.get(reverse("audit:log")).status_code == 200
    response = client.post(reverse("audit:verify"), follow=True)
    assert "intact" in response.content.decode()
    assert client_as("advocate").get(reverse("audit:log")).status_code == 403


def test_exporting_cases_asks_for_the_password_and_a_reason_and_is_audited(client_as, cast):
    from haven.cases.testing import PASSWORD

    client = client_as("supervisor")
    response = client.get(reverse("consent:case_export"))
    assert response.status_code == 302 and response.url.startswith(reverse("reconfirm"))
    wrong = client.post(reverse("reconfirm"), {"password": "nope", "next": "/cases/export/"})
    assert wrong.status_code == 400
    right = client.post(reverse("reconfirm"), {"password": PASSWORD, "next": "/cases/export/"})
    assert right.url == "/cases/export/"
    refused = client.post(reverse("consent:case_export"), {"reason": ""})
    assert refused.status_code == 400
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_EXPORT).exists()
    response = client.post(reverse("consent:case_export"), {"reason": "Monthly caseload review"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("case_number,") and cast.case_a.number in lines[1]
    event = AuditEvent.objects.get(action=AuditAction.CASE_EXPORT)
    assert event.reason == "Monthly caseload review"
    assert event.details["ids"] == [cast.case_a.pk]


def test_advocates_cannot_export(client_as, cast):
    assert client_as("advocate").get(reverse("consent:case_export")).status_code == 403


def test_list_pages_use_a_fixed_number_of_queries(client_as, cast):
    """However many cases a page shows, it costs the same queries (no N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from haven.cases.testing import make_case

    client = client_as("advocate")

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = {url: queries(url) for url in ("/cases/mine/", "/cases/?status=all")}
    supervisor = cast.actor("supervisor")
    for i in range(6):
        make_case(
            supervisor, first_name=f"V{i}", assignee=cast.advocate2 if i % 2 else cast.advocate
        )
    after = {url: queries(url) for url in before}
    assert after == before


def test_adding_a_family_member_to_the_case(client_as, cast):
    from haven.cases.models import CasePerson

    response = client_as("advocate").post(
        reverse("cases:person_create", args=[cast.case_a.pk]),
        {
            "first_name": "Luis",
            "last_name": "Reyes",
            "relation": "child",
            "is_served": "on",
            "preferred_language": "es",
        },
    )
    assert response.status_code == 302
    link = CasePerson.objects.get(case=cast.case_a)
    assert link.person.first_name == "Luis" and link.is_served and link.relation == "child"
    page = client_as("advocate").get(reverse("cases:detail", args=[cast.case_a.pk]))
    assert "Luis Reyes" in page.content.decode()


def test_a_family_member_with_a_bad_phone_is_not_half_added(client_as, cast):
    from haven.people.models import Person

    before = Person.objects.count()
    response = client_as("advocate").post(
        reverse("cases:person_create", args=[cast.case_a.pk]),
        {
            "first_name": "Luis",
            "last_name": "Reyes",
            "relation": "child",
            "phone": "99",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 400
    assert Person.objects.count() == before
