"""Two coordinators change the report goals at once, the first before any were saved: the
second save is refused, the first stays."""

from django.urls import reverse

from haven.core.tests.edit_race import assert_conflict_page, race, second_coordinator, signed_in
from haven.reports.models import ReportGoals


def test_the_second_save_of_the_report_goals_gets_the_conflict_page(cast):
    one, two = race(
        reverse("reports:goals"),
        signed_in(cast.coordinator),
        signed_in(second_coordinator(cast)),
        {"resolution_days": "30"},
        {"satisfaction_percent": "80"},
    )

    assert one.status_code == 302
    assert_conflict_page(two, "Victims satisfied (percent)", "80", "30", "Differs")
    goals = ReportGoals.objects.get(agency=cast.agency_a)
    assert (goals.resolution_days, goals.satisfaction_percent, goals.version) == (30, 90, 2)
