"""Two coordinators edit one outreach rule at once: the second save is refused, the first
stays."""

from django.urls import reverse

from haven.core.tests.edit_race import assert_conflict_page, race, second_coordinator, signed_in
from haven.outreach.services import RuleData, outreach_rule_save


def test_the_second_save_of_an_outreach_rule_gets_the_conflict_page(cast, cora):
    rule = outreach_rule_save(
        actor=cora,
        data=RuleData(
            name="Domestic violence",
            victimization="domestic_violence",
            requires_domestic_violence=True,
            priority="high",
        ),
    )
    url = reverse("outreach:rule_edit", args=[rule.pk])

    one, two = race(
        url,
        signed_in(cast.coordinator),
        signed_in(second_coordinator(cast)),
        {"max_report_age_days": "30"},
        {"name": "DV, flagged", "priority": "normal"},
    )

    assert one.status_code == 302
    assert_conflict_page(two, "DV, flagged", "Domestic violence", "Differs")
    rule.refresh_from_db()
    assert (rule.name, rule.priority, rule.max_report_age_days) == ("Domestic violence", "high", 30)
    assert rule.version == 2
