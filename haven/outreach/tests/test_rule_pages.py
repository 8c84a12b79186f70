"""The coordinator's outreach rule pages."""

import pytest

from haven.audit.models import AuditAction
from haven.core.scoping import agency_scope
from haven.outreach.models import OutreachRule
from haven.outreach.services import RuleData, outreach_rule_save

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Non-fatal shootings",
    "is_active": "on",
    "position": "10",
    "nibrs_codes": "13A",
    "offense_codes": "",
    "requires_firearm": "on",
    "max_report_age_days": "7",
    "victimization": "adult_physical_assault",
    "priority": "high",
    "route": "district",
    "minors": "guardian",
    "first_step": "",
}


def test_a_coordinator_adds_a_rule_from_the_form(client, cast, new_audit_events):
    client.force_login(cast.coordinator.user)
    response = client.post("/agency/outreach-rules/new/", FORM)

    assert response.status_code == 302
    with agency_scope(cast.agency_a):
        rule = OutreachRule.objects.get()
    assert (rule.name, rule.nibrs_codes, rule.requires_firearm, rule.priority) == (
        "Non-fatal shootings",
        ["13A"],
        True,
        "high",
    )
    assert new_audit_events(action=AuditAction.OUTREACH_RULE_SAVE)
    page = client.get("/agency/outreach-rules/").content.decode()
    assert "Non-fatal shootings" in page and "NIBRS 13A" in page and "Firearm" in page


def test_the_form_says_what_to_fix_and_saves_nothing(client, cast):
    client.force_login(cast.coordinator.user)
    response = client.post(
        "/agency/outreach-rules/new/",
        FORM | {"nibrs_codes": "", "requires_firearm": "", "route": "specialist"},
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "at least one offense code" in body
    assert "Choose the specialist" in body
    with agency_scope(cast.agency_a):
        assert not OutreachRule.objects.exists()


def test_a_coordinator_edits_and_switches_off_a_rule(client, cast, cora):
    with agency_scope(cast.agency_a):
        rule = outreach_rule_save(
            actor=cora,
            data=RuleData(name="DV", victimization="domestic_violence", nibrs_codes=["13B"]),
        )
    client.force_login(cast.coordinator.user)
    page = client.get(f"/agency/outreach-rules/{rule.pk}/").content.decode()
    assert 'value="13B"' in page

    response = client.post(f"/agency/outreach-rules/{rule.pk}/", FORM | {"is_active": ""})

    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.name, rule.is_active) == ("Non-fatal shootings", False)


@pytest.mark.parametrize("role", ["advocate", "supervisor", "officer", "analyst", "auditor"])
def test_only_coordinators_reach_the_rule_pages(client, cast, role):
    client.force_login(getattr(cast, role).user)

    assert client.get("/agency/outreach-rules/").status_code == 403
    assert client.post("/agency/outreach-rules/new/", FORM).status_code == 403
    with agency_scope(cast.agency_a):
        assert not OutreachRule.objects.exists()


def test_another_agencys_rule_is_not_found(client, cast):
    from haven.core.actor import Actor

    charlie = Actor.system(cast.agency_b, "test")
    with agency_scope(cast.agency_b):
        rule = outreach_rule_save(
            actor=charlie,
            data=RuleData(name="B", victimization="domestic_violence", nibrs_codes=["13B"]),
        )
    client.force_login(cast.coordinator.user)

    assert client.get(f"/agency/outreach-rules/{rule.pk}/").status_code == 404
    assert client.post(f"/agency/outreach-rules/{rule.pk}/", FORM).status_code == 404
    rule.refresh_from_db()
    assert rule.name == "B"


def test_a_coordinator_starts_from_the_usual_rules_once(client, cast):
    client.force_login(cast.coordinator.user)
    assert "Start from the usual rules" in client.get("/agency/outreach-rules/").content.decode()

    client.post("/agency/outreach-rules/start/")
    second = client.post("/agency/outreach-rules/start/", follow=True)

    with agency_scope(cast.agency_a):
        names = list(OutreachRule.objects.values_list("name", flat=True))
    assert names == [
        "Homicide survivors",
        "Non-fatal shootings",
        "Sexual assault",
        "Domestic violence",
    ]
    assert "already has outreach rules" in second.content.decode()
