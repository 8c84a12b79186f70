"""The follow-up pages for each role: the case page's section, /follow-ups/ (one's own, and a
supervisor's view of everyone's), the forms behind them, and the coordinator's rules."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.cases.models import CaseStatus
from haven.cases.services import case_change_status, contact_log
from haven.cases.testing import make_case
from haven.followup.models import (
    FollowUp,
    FollowUpKind,
    FollowUpOutcome,
    FollowUpPlan,
    FollowUpRule,
    FollowUpSettings,
)
from haven.followup.services import followup_schedule, plan_set
from haven.followup.tests.conftest import NON_CASEWORKER_ROLES, pending_check_in, today
from haven.followup.tests.helpers import other_agency_followups

pytestmark = pytest.mark.django_db


def court(actor, case, *, days=3, hours=0, location="Daley Center, courtroom 1704"):
    return followup_schedule(
        actor=actor,
        case=case,
        kind=FollowUpKind.COURT,
        due_at=timezone.now() + timedelta(days=days, hours=hours),
        location=location,
        notes="Bring the interpreter",
    )


def overdue(case, hours=5, **extra) -> FollowUp:
    return FollowUp.objects.create(
        agency=case.agency,
        case=case,
        kind=FollowUpKind.CHECK_IN,
        due_at=timezone.now() - timedelta(hours=hours),
        **extra,
    )


def text(response) -> str:
    return response.content.decode()


# The case page's section.


def test_the_case_page_shows_the_next_check_in_and_court_dates_with_their_place(
    client_as, cast, alice, case
):
    plan_set(actor=alice, case=case, unit="weeks", time_of_day=time(10))
    court(alice, case)

    response = client_as("advocate").get(reverse("cases:detail", args=[case.pk]))

    page = text(response)
    assert response.status_code == 200
    assert 'id="follow-up"' in page
    assert "Check-ins every week at 10:00 AM." in page
    assert "Next check-in" in page
    assert "Daley Center, courtroom 1704" in page and "Bring the interpreter" in page
    assert reverse("followup:complete", args=[pending_check_in(case).pk]) in page
    assert reverse("followup:plan", args=[case.pk]) in page
    assert "Reassign" not in page  # advocates do not reassign


def test_a_supervisor_sees_reassign_links_and_a_coming_rule_is_announced(client_as, cast, case):
    FollowUpRule.objects.create(
        agency=cast.agency_a, name="DV", victimization="domestic_violence", unit="weeks"
    )
    court(cast.actor("advocate"), case)
    page = text(client_as("supervisor").get(reverse("cases:detail", args=[case.pk])))
    assert "Reassign" in page
    assert "Check-ins every week (the agency's rule “DV”) start within the hour." in page


def test_an_ended_case_shows_its_follow_ups_without_forms(client_as, cast, alice, sam, case):
    court(alice, case)
    case_change_status(actor=sam, case=case, status=CaseStatus.CLOSED, reason="Goals met")
    page = text(client_as("advocate").get(reverse("cases:detail", args=[case.pk])))
    assert "Daley Center" in page
    assert reverse("followup:new", args=[case.pk]) not in page
    assert "Went" not in page


def test_the_sections_forms_load_when_opened_with_the_rule_and_default_time(
    client_as, cast, case, new_audit_events
):
    FollowUpRule.objects.create(
        agency=cast.agency_a, name="DV", victimization="domestic_violence", unit="months"
    )
    FollowUpSettings.objects.create(agency=cast.agency_a, default_time=time(8, 45))
    client = client_as("advocate")
    page = text(client.get(reverse("cases:detail", args=[case.pk])))
    for url in (reverse("followup:plan", args=[case.pk]), reverse("followup:new", args=[case.pk])):
        assert f'hx-get="{url}"' in page and f'href="{url}"' in page
    assert 'name="time_of_day"' not in page and 'name="due_at"' not in page  # not built

    plan_form = client.get(reverse("followup:plan", args=[case.pk]), headers={"HX-Request": "true"})
    html = text(plan_form)
    assert plan_form.status_code == 200 and "<html" not in html
    assert 'value="08:45"' in html and '<option value="months" selected>' in html
    assert new_audit_events(action=AuditAction.CASE_VIEW)[-1].object_id == str(case.pk)
    schedule = client.get(reverse("followup:new", args=[case.pk]), headers={"HX-Request": "true"})
    assert 'name="due_at"' in text(schedule) and "<html" not in text(schedule)
    assert "<html" in text(client.get(reverse("followup:plan", args=[case.pk])))


# The forms behind the section, without JavaScript.


def test_setting_the_cadence_from_the_case_page(client_as, cast, case, new_audit_events):
    first = today(cast.agency_a) + timedelta(days=2)
    response = client_as("advocate").post(
        reverse("followup:plan", args=[case.pk]),
        {"unit": "weekly_then_monthly", "time_of_day": "09:15", "first_on": first.isoformat()},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk]) + "#follow-up"
    plan = FollowUpPlan.objects.get(case=case)
    assert (plan.unit, plan.time_of_day, plan.anchor_date) == (
        "weekly_then_monthly",
        time(9, 15),
        first,
    )
    assert new_audit_events(action=AuditAction.FOLLOWUP_PLAN_SET)


def test_a_bad_cadence_shows_the_form_again_with_the_error(client_as, cast, case):
    response = client_as("advocate").post(
        reverse("followup:plan", args=[case.pk]),
        {"unit": "days", "every": "0", "time_of_day": "10:00"},
    )
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in text(response)
    assert not FollowUpPlan.objects.exists()


def test_the_cadence_page_is_prefilled_from_the_plan(client_as, cast, alice, case):
    plan_set(actor=alice, case=case, unit="days", every=3, time_of_day=time(16, 45))
    response = client_as("advocate").get(reverse("followup:plan", args=[case.pk]))
    page = text(response)
    assert response.status_code == 200
    assert 'value="16:45"' in page and 'value="3"' in page
    assert '<option value="days" selected>' in page


def test_scheduling_a_court_date_from_the_case_page(client_as, cast, case):
    when = (timezone.localtime() + timedelta(days=4)).strftime("%Y-%m-%dT09:30")
    response = client_as("advocate").post(
        reverse("followup:new", args=[case.pk]),
        {"kind": "court", "due_at": when, "location": "Branch 48", "notes": "Status hearing"},
    )
    assert response.status_code == 302
    appointment = FollowUp.objects.get(case=case)
    assert (appointment.kind, appointment.location, appointment.notes) == (
        "court",
        "Branch 48",
        "Status hearing",
    )
    local = timezone.localtime(appointment.due_at, cast.agency_a.tz)
    assert local.strftime("%Y-%m-%dT%H:%M") == when  # read in the agency's time zone


def test_a_court_date_without_a_place_is_an_error_on_the_page(client_as, cast, case):
    when = (timezone.localtime() + timedelta(days=4)).strftime("%Y-%m-%dT09:30")
    response = client_as("advocate").post(
        reverse("followup:new", args=[case.pk]), {"kind": "court", "due_at": when}
    )
    assert response.status_code == 400
    assert "Say where: the courthouse and courtroom." in text(response)
    assert not FollowUp.objects.exists()


def test_the_done_button_records_the_check_in_and_schedules_the_next(client_as, cast, alice, case):
    plan_set(actor=alice, case=case, unit="weeks", first_on=today(cast.agency_a) + timedelta(1))
    check_in = pending_check_in(case)
    here = reverse("cases:detail", args=[case.pk]) + "#follow-up"
    response = client_as("advocate").post(
        reverse("followup:complete", args=[check_in.pk]), {"outcome": "done", "next": here}
    )
    assert response.status_code == 302 and response["Location"] == here
    check_in.refresh_from_db()
    assert check_in.outcome == FollowUpOutcome.DONE
    following = pending_check_in(case)
    assert following.due_at - check_in.due_at == timedelta(weeks=1)


def test_the_record_page_links_a_contact_and_says_not_reached(client_as, cast, alice, case):
    appointment = court(alice, case)
    contact = contact_log(
        actor=alice,
        case=case,
        outcome="attempted",
        channel="phone",
        direction="outbound",
        occurred_at=timezone.now(),
        attempt_result="no_answer",
    )
    client = client_as("advocate")
    page = client.get(reverse("followup:complete", args=[appointment.pk]))
    assert page.status_code == 200 and f'value="{contact.pk}"' in text(page)
    response = client.post(
        reverse("followup:complete", args=[appointment.pk]),
        {"outcome": "not_reached", "contact": contact.pk, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk]) + "#follow-up"
    appointment.refresh_from_db()
    assert (appointment.outcome, appointment.contact) == ("not_reached", contact)


def test_skip_cancels_a_court_date(client_as, cast, alice, case):
    appointment = court(alice, case)
    response = client_as("advocate").post(reverse("followup:skip", args=[appointment.pk]))
    assert response.status_code == 302
    assert FollowUp.objects.get(pk=appointment.pk).outcome == FollowUpOutcome.CANCELED


def test_a_supervisor_reassigns_on_a_page_and_an_advocate_may_not(client_as, cast, alice, case):
    appointment = court(alice, case)
    url = reverse("followup:reassign", args=[appointment.pk])
    assert client_as("advocate").get(url).status_code == 403
    client = client_as("supervisor")
    assert "Bob Burke" in text(client.get(url))
    response = client.post(url, {"assignee": cast.advocate2.pk})
    assert response.status_code == 302
    assert FollowUp.objects.get(pk=appointment.pk).assignee == cast.advocate2


def test_the_reassign_page_names_every_specialist_in_one_query(
    client_as, cast, alice, case, django_assert_num_queries
):
    from haven.cases.testing import make_member

    url = reverse("followup:reassign", args=[court(alice, case).pk])
    client = client_as("supervisor")
    client.get(url)
    for n in range(6):
        make_member(cast.agency_a, f"extra{n}", "advocate", full_name=f"Extra Person{n}")

    with django_assert_num_queries(7):
        page = text(client.get(url))

    assert all(f"Extra Person{n}" in page for n in range(6))


# /follow-ups/


def test_my_follow_ups_lists_overdue_today_and_upcoming_and_only_mine(
    client_as, cast, alice, bob, case, new_audit_events
):
    late = overdue(case)
    soon = court(alice, case, days=0, hours=1) if _hours_left_today(cast) > 1 else None
    later = court(alice, case, days=5, location="Branch 48")
    bobs_case = make_case(bob, first_name="Bea", last_name="Bobcase", assignee=cast.advocate2)
    case_change_status(actor=bob, case=bobs_case, status=CaseStatus.ACTIVE)
    court(bob, bobs_case, location="Bob's courtroom")

    response = client_as("advocate").get(reverse("followup:list"))

    page = text(response)
    assert response.status_code == 200
    assert "My follow-ups" in page
    overdue_part, rest = page.split('id="today"')
    today_part, upcoming_part = rest.split('id="upcoming"')
    assert reverse("followup:complete", args=[late.pk]) in overdue_part
    if soon:
        assert reverse("followup:complete", args=[soon.pk]) in today_part
    assert "Branch 48" in upcoming_part and reverse("followup:complete", args=[later.pk]) in page
    assert "Bob's courtroom" not in page and "Bobcase" not in page
    assert "Whose follow-ups" not in page  # no choice of whose for an advocate
    [audit] = new_audit_events(action=AuditAction.FOLLOWUP_LIST)
    assert audit.details == {"who": "mine", "shown": [case.pk]}


def _hours_left_today(cast) -> float:
    now = timezone.localtime(timezone.now(), cast.agency_a.tz)
    return 24 - now.hour - now.minute / 60


def test_an_advocate_asking_for_everyones_still_sees_only_their_own(client_as, cast, bob, case):
    bobs_case = make_case(bob, first_name="Bea", last_name="Bobcase", assignee=cast.advocate2)
    case_change_status(actor=bob, case=bobs_case, status=CaseStatus.ACTIVE)
    overdue(bobs_case)
    page = text(client_as("advocate").get(reverse("followup:list"), {"who": "all"}))
    assert "Bobcase" not in page and "Nothing overdue." in page


def test_the_supervisors_view_lists_everyones_overdue_first_by_specialist(
    client_as, cast, alice, bob, case, new_audit_events
):
    bobs_case = make_case(bob, first_name="Bea", last_name="Bobcase", assignee=cast.advocate2)
    case_change_status(actor=bob, case=bobs_case, status=CaseStatus.ACTIVE)
    overdue(bobs_case, hours=2)
    overdue(case, hours=1)
    court(alice, case, days=6, location="Branch 48")
    ended = make_case(bob, first_name="Ed", last_name="Ended", assignee=cast.advocate2)
    overdue(ended)
    case_change_status(actor=bob, case=ended, status=CaseStatus.DECLINED, reason="Declined")

    response = client_as("supervisor").get(reverse("followup:list"), {"who": "all"})

    page = text(response)
    assert response.status_code == 200
    assert "Whose follow-ups" in page
    overdue_part = page.split('id="today"')[0]
    # Avery before Burke, though Burke's is older: by specialist, then time.
    assert overdue_part.index("Alice Avery") < overdue_part.index("Bob Burke")
    assert "Ended" not in page  # follow-ups of ended cases are left out
    assert "Branch 48" in page.split('id="upcoming"')[1]
    [audit] = new_audit_events(action=AuditAction.FOLLOWUP_LIST)
    assert audit.details["who"] == "all"
    assert sorted(audit.details["shown"]) == sorted([case.pk, bobs_case.pk])

    one = text(client_as("supervisor").get(reverse("followup:list"), {"who": cast.advocate2.pk}))
    assert "Bobcase" in one and "Dana Reyes" not in one


def test_the_list_takes_a_fixed_number_of_queries(
    client_as, cast, alice, case, django_assert_max_num_queries
):
    for days in range(1, 8):
        court(alice, case, days=days)
    for hours in range(1, 6):
        overdue(make_case(alice, last_name=f"Late{hours}", assignee=cast.advocate), hours=hours)
    client = client_as("supervisor")
    with django_assert_max_num_queries(25):
        response = client.get(reverse("followup:list"), {"who": "all"})
    assert response.status_code == 200 and text(response).count("Late") >= 5


# Who may.


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_roles_that_do_not_work_cases_are_refused_every_follow_up_page(client_as, cast, case, role):
    appointment = court(cast.actor("advocate"), case)
    client = client_as(role)
    urls = [
        reverse("followup:list"),
        reverse("followup:plan", args=[case.pk]),
        reverse("followup:new", args=[case.pk]),
        reverse("followup:complete", args=[appointment.pk]),
        reverse("followup:reassign", args=[appointment.pk]),
        reverse("followup:rules"),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"outcome": "done", "unit": "weeks"}).status_code == 403, url
    assert client.post(reverse("followup:skip", args=[appointment.pk])).status_code == 403
    assert FollowUp.objects.get(pk=appointment.pk).done_at is None
    assert not FollowUpPlan.objects.exists() and FollowUp.objects.count() == 1


def test_another_agencys_follow_ups_and_rules_are_not_found(client_as, cast, case):
    b = other_agency_followups(cast)
    client = client_as("coordinator")
    for url in (
        reverse("followup:complete", args=[b["followup_id"]]),
        reverse("followup:skip", args=[b["followup_id"]]),
        reverse("followup:reassign", args=[b["followup_id"]]),
        reverse("followup:rule_edit", args=[b["followup_rule_id"]]),
        reverse("followup:plan", args=[cast.case_b.pk]),
        reverse("followup:new", args=[cast.case_b.pk]),
    ):
        assert client.get(url).status_code in (404, 405), url
        probe = {"outcome": "done", "name": "x", "unit": "weeks"}
        assert client.post(url, probe).status_code == 404, url
    assert FollowUp.objects.get(pk=b["followup_id"]).done_at is None
    assert FollowUpRule.objects.get(pk=b["followup_rule_id"]).name == "B's follow-up"


# The coordinator's rules.


def test_a_coordinator_adds_and_changes_a_rule(client_as, cast, new_audit_events):
    client = client_as("coordinator")
    response = client.post(
        reverse("followup:rule_new"),
        {
            "name": "Homicide survivors",
            "victimization": "homicide_survivor",
            "priority": "",
            "unit": "weekly_then_monthly",
            "every": "1",
            "position": "0",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule = FollowUpRule.objects.get(agency=cast.agency_a)
    assert (rule.victimization, rule.unit, rule.updated_by) == (
        "homicide_survivor",
        "weekly_then_monthly",
        cast.coordinator,
    )
    page = text(client.get(reverse("followup:rules")))
    assert "Homicide survivors" in page and "Weekly for the first month, then monthly" in page

    response = client.post(
        reverse("followup:rule_edit", args=[rule.pk]),
        {"name": "Homicide survivors", "unit": "weeks", "every": "2", "position": "1"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.unit, rule.every, rule.is_active) == ("weeks", 2, False)
    audits = new_audit_events(action=AuditAction.FOLLOWUP_RULE_SAVE)
    assert [a.details["created"] for a in audits] == [True, False]
    changed = ["every", "is_active", "position", "unit", "victimization"]
    assert audits[1].details["fields"] == changed


def test_a_rule_without_a_name_is_shown_again_with_the_error(client_as, cast):
    response = client_as("coordinator").post(
        reverse("followup:rule_new"), {"name": " ", "unit": "weeks", "every": "1", "position": "0"}
    )
    assert response.status_code == 400
    assert not FollowUpRule.objects.exists()


def test_a_coordinator_sets_business_days_and_the_default_time(client_as, cast, new_audit_events):
    response = client_as("coordinator").post(
        reverse("followup:settings"), {"skip_closed_days": "on", "default_time": "08:30"}
    )
    assert response.status_code == 302
    settings = FollowUpSettings.objects.get(agency=cast.agency_a)
    assert (settings.skip_closed_days, settings.default_time) == (True, time(8, 30))
    [audit] = new_audit_events(action=AuditAction.FOLLOWUP_SETTINGS)
    assert audit.details["skip_closed_days"] is True


@pytest.mark.parametrize("role", ["advocate", "supervisor"])
def test_only_those_who_configure_the_agency_see_the_rules(client_as, cast, role):
    client = client_as(role)
    assert client.get(reverse("followup:rules")).status_code == 403
    response = client.post(reverse("followup:rule_new"), {"name": "X", "unit": "weeks"})
    assert response.status_code == 403
    assert not FollowUpRule.objects.exists()


def test_after_an_htmx_contact_post_the_sections_buttons_still_return_to_the_case_page(
    client_as, cast, alice, case
):
    court(alice, case)
    response = client_as("advocate").post(
        reverse("cases:contact_create", args=[case.pk]),
        {
            "outcome": "completed",
            "channel": "phone",
            "direction": "outbound",
            "occurred_at": timezone.localtime(timezone.now(), cast.agency_a.tz).strftime(
                "%Y-%m-%dT%H:%M"
            ),
        },
        HTTP_HX_REQUEST="true",
    )
    page = text(response)
    assert response.status_code == 200 and 'id="follow-up"' in page
    here = reverse("cases:detail", args=[case.pk]) + "#follow-up"
    assert f'name="next" value="{here}"' in page
    assert "/contacts/#follow-up" not in page
