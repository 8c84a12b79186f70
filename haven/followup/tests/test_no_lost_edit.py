"""Two people edit one follow-up rule, one case's plan or the follow-up settings at once: the
second save is refused, the first stays."""

from datetime import time

from django.urls import reverse

from haven.core.tests.edit_race import assert_conflict_page, race, second_coordinator, signed_in
from haven.followup.models import FollowUpPlan, FollowUpSettings
from haven.followup.services import RuleData, followup_rule_save, plan_set


def test_the_second_save_of_a_rule_gets_the_conflict_page(cast, cora):
    rule = followup_rule_save(actor=cora, data=RuleData(name="Domestic violence", unit="weeks"))
    url = reverse("followup:rule_edit", args=[rule.pk])
    one, two = race(
        url,
        signed_in(cast.coordinator),
        signed_in(second_coordinator(cast)),
        {"every": "2"},
        {"name": "DV, weekly"},
    )

    assert one.status_code == 302
    assert_conflict_page(two, "DV, weekly", "Domestic violence", "Differs")
    rule.refresh_from_db()
    assert (rule.name, rule.every, rule.version) == ("Domestic violence", 2, 2)


def test_the_second_save_of_a_cases_plan_gets_the_conflict_page(cast, alice, case):
    plan_set(actor=alice, case=case, unit="weeks")
    url = reverse("followup:plan", args=[case.pk])

    one, two = race(
        url, signed_in(cast.advocate), signed_in(cast.supervisor), {"every": "2"}, {"every": "3"}
    )

    assert one.status_code == 302
    assert_conflict_page(two, "Every how many")
    plan = FollowUpPlan.objects.get(case=case)
    assert (plan.every, plan.version) == (2, 2)


def test_the_second_save_of_the_settings_gets_the_conflict_page(cast):
    one, two = race(
        reverse("followup:rules"),
        signed_in(cast.coordinator),
        signed_in(second_coordinator(cast)),
        {"default_time": "09:30"},
        {"default_time": "11:00", "skip_closed_days": "on"},
        post_to=reverse("followup:settings"),
    )

    assert one.status_code == 302
    page = assert_conflict_page(two, "11:00", "09:30")
    assert f'href="{reverse("followup:rules")}"' in page
    settings = FollowUpSettings.objects.get(agency=cast.agency_a)
    assert (settings.default_time, settings.skip_closed_days) == (time(9, 30), False)
    assert settings.version == 2
