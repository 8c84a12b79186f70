"""Protocol templates: the shipped set, the coordinator's edits, and bad templates refused
with a message naming the step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.audit.models import AuditAction
from haven.cases.testing import make_member
from haven.core.scoping import agency_scope
from haven.protocols.models import ProtocolTemplate
from haven.protocols.services import TemplateData, template_save
from haven.protocols.starting import STARTING_TEMPLATES
from haven.protocols.validation import StepData

pytestmark = pytest.mark.django_db


def data(*steps, key="test", name="Test protocol"):
    return TemplateData(key=key, name=name, steps=list(steps))


def refusal(cast, actor, template_data) -> list[str]:
    with agency_scope(cast.agency_a), pytest.raises(ValidationError) as error:
        template_save(actor=actor, data=template_data)
    assert not ProtocolTemplate.objects.filter(key=template_data.key).exists()
    return error.value.message_dict["steps"]


def test_every_shipped_template_is_valid_and_cites_its_sources(cast, shipped):
    assert set(shipped) == {t.key for t in STARTING_TEMPLATES}
    homicide = shipped["homicide-survivors"]
    titles = [s.title for s in homicide.steps.all()]
    assert titles[0].startswith("Next of kin")
    assert any("medical examiner" in t for t in titles)
    assert any("compensation" in t.lower() for t in titles)
    for template in shipped.values():
        assert template.sources, template.key
        assert all(s["url"].startswith("http") for s in template.sources)


def test_a_step_due_before_its_start_is_refused_naming_the_step(cast, cora):
    messages = refusal(cast, cora, data(StepData("call", "Call the family", due_hours=-2)))
    assert messages == ["Step “Call the family” is due before its start: give hours of 0 or more."]


def test_an_unknown_role_is_refused_naming_the_step(cast, cora):
    messages = refusal(cast, cora, data(StepData("call", "Call the family", role="officer")))
    assert len(messages) == 1
    assert messages[0].startswith("Step “Call the family”: unknown role “officer”")


def test_a_loop_of_steps_is_refused_naming_the_steps(cast, cora):
    messages = refusal(
        cast,
        cora,
        data(
            StepData("first", "First", after="third"),
            StepData("second", "Second", after="first"),
            StepData("third", "Third", after="second"),
            StepData("fine", "Not in the loop"),
        ),
    )
    assert len(messages) == 1
    assert messages[0].startswith("Step “First” waits for itself through a loop:")
    assert "“Second”" in messages[0] and "“Third”" in messages[0]
    assert "Not in the loop" not in messages[0]


def test_a_step_after_a_missing_step_or_an_unknown_service_is_refused(cast, cora):
    messages = refusal(
        cast,
        cora,
        data(StepData("call", "Call", after="visit", services=["B2", "Z9"])),
    )
    assert "Step “Call” comes after “visit”, which is not a step of it." in messages
    assert "Step “Call”: unknown service codes Z9." in messages


def test_only_a_coordinator_saves_a_template_and_each_save_is_audited(
    cast, cora, alice, new_audit_events
):
    good = data(StepData("call", "Call", services=["C1"]), StepData("visit", "Visit", after="call"))
    with agency_scope(cast.agency_a):
        with pytest.raises(PermissionDenied):
            template_save(actor=alice, data=good)
        template = template_save(actor=cora, data=good)
    assert [s.key for s in template.steps.all()] == ["call", "visit"]
    [event] = new_audit_events(action=AuditAction.PROTOCOL_TEMPLATE_SAVE)
    assert event.details == {
        "created": True,
        "key": "test",
        "steps": ["call", "visit"],
        "active": True,
    }


def test_the_coordinator_edits_a_template_on_its_page_and_a_bad_step_is_named(
    cast, shipped, client_as
):
    template = shipped["elder-abuse"]
    client = client_as("coordinator")
    page = client.get(f"/protocols/{template.pk}/")
    assert page.status_code == 200
    assert "Report to adult protective services" in page.content.decode()
    form = {
        "name": "Elder abuse",
        "key": "elder-abuse",
        "is_active": "on",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-0-key": "aps-report",
        "steps-0-title": "Report to APS",
        "steps-0-role": "advocate",
        "steps-0-due_hours": "24",
        "steps-0-services": "a4",
        "steps-1-key": "follow-up",
        "steps-1-title": "Follow up with APS",
        "steps-1-role": "advocate",
        "steps-1-after": "aps-report",
        "steps-1-due_hours": "-5",
    }
    refused = client.post(f"/protocols/{template.pk}/", form)
    assert refused.status_code == 400
    assert "Step “Follow up with APS” is due before its start" in refused.content.decode()
    form["steps-1-due_hours"] = "72"
    saved = client.post(f"/protocols/{template.pk}/", form)
    assert saved.status_code == 302
    steps = list(template.steps.values_list("key", "after", "due_hours", "services"))
    assert steps == [("aps-report", "", 24, ["A4"]), ("follow-up", "aps-report", 72, [])]


def test_an_advocate_cannot_edit_templates_and_another_agency_gets_404(cast, shipped, client):
    template = shipped["elder-abuse"]
    client.force_login(cast.advocate.user)
    assert client.get(f"/protocols/{template.pk}/").status_code == 403
    other_coordinator = make_member(cast.agency_b, "cole", "coordinator", full_name="Cole B")
    client.force_login(other_coordinator.user)
    assert client.get(f"/protocols/{template.pk}/").status_code == 404
