"""The dashboard's KPIs, filters, suppression and permissions, on small hand-built data."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.agencies.models import District
from haven.audit.models import AuditAction
from haven.cases.services import case_change_status, contact_log
from haven.cases.testing import make_case
from haven.followup.services import followup_schedule
from haven.reports import suppression
from haven.reports.models import ReportGoals, SurveyResponse
from haven.reports.selectors import Filters, dashboard
from haven.reports.services import report_goals_save


def reach(actor, case, after_hours):
    contact_log(
        actor=actor,
        case=case,
        outcome="completed",
        channel="phone",
        direction="outbound",
        occurred_at=case.received_at + timedelta(hours=after_hours),
    )


def received(actor, hours_ago, **extra):
    return make_case(actor, received_at=timezone.now() - timedelta(hours=hours_ago), **extra)


def this_year(actor):
    today = timezone.now().astimezone(actor.agency.tz).date()
    return Filters.default(today)


def test_time_to_first_contact_is_a_median_and_a_share_of_cases_due(cast, sam):
    reach(sam, received(sam, 48, assignee=cast.advocate), 2)
    reach(sam, received(sam, 72, assignee=cast.advocate), 30)
    received(sam, 30, assignee=cast.advocate)  # due, never reached

    dash = dashboard(sam, this_year(sam))

    # case_a (received 3 h ago, attempts only) is not yet due: it does not count against.
    assert dash.first_contact.median.value == 16  # median of 2 h and 30 h
    assert dash.first_contact.base.value == 3
    assert round(dash.first_contact.within_goal.value) == 33
    assert dash.overdue_first_contacts.value == 1
    assert dash.awaiting_with_attempts.value == 1  # case_a
    assert dash.received.value == 4


def test_resolution_counts_cases_closed_in_the_period(cast, sam):
    for days in (10, 20):
        case = received(sam, 24 * days, assignee=cast.advocate)
        reach(sam, case, 1)
        case_change_status(actor=sam, case=case, status="closed", close_reason="goals_met")

    dash = dashboard(sam, this_year(sam))

    assert round(dash.resolution.median.value) == 15
    assert round(dash.resolution.within_goal.value) == 50  # 10 days yes, 20 days no
    assert dash.resolution.base.value == 2


def test_satisfaction_is_the_share_satisfied_or_very_satisfied(cast, sam):
    month = timezone.now().astimezone(cast.agency_a.tz).date().replace(day=1)
    for overall in (5, 4, 4, 2, 1):
        SurveyResponse.objects.create(
            agency=cast.agency_a, month=month, overall=overall, kind="closure"
        )
    SurveyResponse.objects.create(agency=cast.agency_b, month=month, overall=1, kind="closure")

    dash = dashboard(sam, this_year(sam))

    assert dash.satisfaction.value == 60
    assert dash.satisfaction_answers.value == 5
    assert [n.value for _label, n in dash.satisfaction_by_answer] == [1, 2, 0, 1, 1]
    assert dash.months[-1].satisfaction.value == 60


def test_caseload_and_overdue_follow_ups(cast, sam):
    bobs = received(sam, 5, assignee=cast.advocate2)
    followup_schedule(
        actor=sam, case=bobs, kind="check_in", due_at=timezone.now() + timedelta(hours=1)
    )

    dash = dashboard(sam, this_year(sam), now=timezone.now() + timedelta(hours=2))

    assert [(name, n.value) for name, n in dash.caseload] == [
        ("Alice Avery", 1),
        ("Bob Burke", 1),
    ]
    assert dash.overdue_followups.value == 1
    bob_only = Filters(**{**this_year(sam).__dict__, "specialist_id": cast.advocate.pk})
    assert (
        dashboard(sam, bob_only, now=timezone.now() + timedelta(hours=2)).overdue_followups.value
        == 0
    )


def test_filters_narrow_every_number(cast, sam):
    other = District.objects.create(agency=cast.agency_a, code="012", name="Lincoln")
    received(sam, 50, assignee=cast.advocate2, district=other, victimizations=["robbery"])

    base = this_year(sam)
    assert dashboard(sam, base).received.value == 2
    by_district = Filters(**{**base.__dict__, "district_id": other.pk})
    assert dashboard(sam, by_district).received.value == 1
    by_specialist = Filters(**{**base.__dict__, "specialist_id": cast.advocate.pk})
    assert dashboard(sam, by_specialist).received.value == 1  # case_a
    by_type = Filters(**{**base.__dict__, "victimization": "robbery"})
    dash = dashboard(sam, by_type)
    assert dash.received.value == 1
    assert dash.overdue_first_contacts.value == 1
    assert [(name, n.value) for name, n in dash.caseload] == [("Bob Burke", 1)]


def test_the_analyst_sees_no_person_and_small_counts_are_suppressed(
    cast, sam, client_as, new_audit_events
):
    reach(
        sam, received(sam, 48, assignee=cast.advocate2, first_name="Zelda", last_name="Quimby"), 2
    )

    response = client_as("analyst").get(reverse("reports:dashboard"))

    html = response.content.decode()
    assert response.status_code == 200
    for identifying in ("Dana", "Reyes", "Zelda", "Quimby", cast.case_a.number, "JA100001"):
        assert identifying not in html
    assert "fewer than 5" in html
    assert 'id="caseload"' in html and "<svg" in html
    caseload = html.split('id="caseload"')[1].split("</table>")[0]
    assert "Bob Burke" in caseload and ">1<" not in caseload
    events = new_audit_events(action=AuditAction.AGGREGATES_VIEW)
    assert [e.object_type for e in events] == ["reports.dashboard"]


def test_the_supervisor_sees_exact_numbers(cast, client_as):
    response = client_as("supervisor").get(reverse("reports:dashboard"))

    html = response.content.decode()
    caseload = html.split('id="caseload"')[1].split("</table>")[0]
    assert "Alice Avery" in caseload and '<td class="text-right">1</td>' in caseload
    assert "fewer than 5" not in html


@pytest.mark.parametrize("role", ["advocate", "officer", "auditor"])
def test_roles_without_aggregates_are_refused(client_as, role):
    assert client_as(role).get(reverse("reports:dashboard")).status_code == 403


def test_the_analyst_lands_on_the_dashboard(client_as):
    response = client_as("analyst").get("/")
    assert response.status_code == 302 and response["Location"] == reverse("reports:dashboard")


def test_filtering_through_the_page(cast, client_as):
    response = client_as("supervisor").get(
        reverse("reports:dashboard"),
        {"start": "2026-01-01", "end": "2026-03-31", "district": cast.district_a.pk},
    )
    assert response.status_code == 200
    assert response.context["dash"].filters.district_id == cast.district_a.pk
    assert [m.label for m in response.context["dash"].months] == ["Jan 26", "Feb 26", "Mar 26"]


def test_a_coordinator_sets_the_goals_and_the_dashboard_uses_them(
    cast, cora, sam, client_as, new_audit_events
):
    reach(sam, received(sam, 72, assignee=cast.advocate), 30)

    response = client_as("coordinator").post(
        reverse("reports:goals"),
        {
            "first_contact_hours": 36,
            "resolution_days": 20,
            "satisfaction_percent": 85,
            "midcase_survey_days": 0,
        },
    )

    assert response.status_code == 302
    goals = ReportGoals.objects.get(agency=cast.agency_a)
    assert (goals.first_contact_hours, goals.resolution_days) == (36, 20)
    assert dashboard(sam, this_year(sam)).first_contact.within_goal.value == 100
    [event] = new_audit_events(action=AuditAction.REPORT_GOALS_SAVE)
    assert event.details["after"]["satisfaction_percent"] == 85


def test_a_supervisor_cannot_change_the_goals(client_as, sam):
    assert client_as("supervisor").get(reverse("reports:goals")).status_code == 403
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        report_goals_save(
            actor=sam, first_contact_hours=1, resolution_days=1, satisfaction_percent=1
        )


def test_the_panels_of_the_other_apps_show_when_they_are_installed(cast, sam):
    dash = dashboard(sam, this_year(sam))

    assert dash.referrals == []  # haven.referrals is installed; no referral yet
    assert dict(dash.compensation)["Claims filed"].value == 0


def test_a_small_cell_of_a_table_cannot_be_worked_out_from_its_row():
    cells = {("Safe Harbor", "accepted"): 12, ("Safe Harbor", "declined"): 2}
    cells |= {("Safe Harbor", "completed"): 7}

    exact = suppression.grid(cells, suppress=False)
    shown = suppression.grid(cells, suppress=True)

    assert [str(exact[k]) for k in cells] == ["12", "2", "7"]
    # "2" hides, and "7" with it: with only one hidden, the row's total would give it away.
    assert [shown[k].suppressed for k in cells] == [False, True, True]
    assert str(shown["Safe Harbor", "accepted"]) == "12"
