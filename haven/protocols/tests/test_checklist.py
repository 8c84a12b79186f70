"""A protocol on a case: started by an outreach rule, a victimization type or by hand; its
checklist on the case page; steps checked off or skipped; late steps on To do and on the
supervisor's view; completion rates on the dashboard."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.cases.testing import make_case
from haven.core.scoping import agency_scope
from haven.outreach.models import OutreachRule
from haven.outreach.services import outreach_rules_start
from haven.outreach.tests.test_decisions import HEADER, PROFILE, row
from haven.protocols.models import CaseProtocol, CaseStep, StartedBy, StepStatus
from haven.protocols.services import protocol_start, step_done, step_skip

pytestmark = pytest.mark.django_db


def steps_of(case) -> dict[str, CaseStep]:
    return {s.key: s for s in CaseStep.objects.filter(case=case)}


@pytest.fixture
def homicide_case(cast, shipped, sam):
    """A homicide survivor's case opened now, on Alice's caseload."""
    with agency_scope(cast.agency_a):
        return make_case(
            sam,
            first_name="Rosa",
            last_name="Quiñones",
            assignee=cast.advocate,
            victimizations=["homicide_survivor"],
            report_number="HX-1",
        )


def test_a_homicide_report_opens_a_case_whose_outreach_rule_starts_its_protocol(
    cast, shipped, cora, run_import, tmp_path, client_as
):
    with agency_scope(cast.agency_a):
        outreach_rules_start(actor=cora)
        rule = OutreachRule.objects.get(name="Homicide survivors")
        OutreachRule.objects.filter(pk=rule.pk).update(assign_to=cast.advocate, route="specialist")
    assert rule.protocol == shipped["homicide-survivors"]
    profile = tmp_path / "outreach-test.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    report = row("HV-9", dv="", statute="720-5/9-1", text="MURDER", ucr="09A", victim="VEGA, ANA")
    run_import(cast.agency_a, str(profile), HEADER + report)

    protocol = CaseProtocol.objects.get(case__report_number="HV-9")
    assert protocol.template == shipped["homicide-survivors"]
    assert protocol.source in (StartedBy.RULE, StartedBy.VICTIMIZATION)
    first = steps_of(protocol.case)["next-of-kin"]
    assert first.due_at == protocol.started_at + timedelta(hours=4)
    assert steps_of(protocol.case)["medical-examiner"].due_at is None  # waits for next of kin

    page = client_as("advocate").get(f"/cases/{protocol.case_id}/").content.decode()
    assert "Death notification and homicide survivors" in page
    assert "Next of kin identified and notified in person" in page
    assert "0 of 8 steps done" in page


def test_a_victimization_type_starts_its_protocol_once(cast, homicide_case, shipped):
    [protocol] = CaseProtocol.objects.filter(case=homicide_case)
    assert protocol.source == StartedBy.VICTIMIZATION
    assert len(steps_of(homicide_case)) == shipped["homicide-survivors"].steps.count()


def test_a_case_of_another_type_starts_nothing_and_one_is_started_by_hand(
    cast, shipped, alice, new_audit_events
):
    assert not CaseProtocol.objects.filter(case=cast.case_a).exists()  # opened before
    with agency_scope(cast.agency_a):
        protocol = protocol_start(
            actor=alice, case=cast.case_a, template=shipped["domestic-violence"]
        )
        with pytest.raises(ValidationError, match="already on this case"):
            protocol_start(actor=alice, case=cast.case_a, template=shipped["domestic-violence"])
    assert protocol.source == StartedBy.HAND
    [event] = new_audit_events(action=AuditAction.PROTOCOL_START)
    assert event.details == {
        "case": cast.case_a.pk,
        "template": "domestic-violence",
        "source": "hand",
    }


def test_checking_off_a_step_records_who_and_when_and_starts_the_steps_after_it(
    cast, homicide_case, alice, clock, new_audit_events
):
    step = steps_of(homicide_case)["next-of-kin"]
    clock.move_to(timezone.now() + timedelta(hours=3))
    with agency_scope(cast.agency_a):
        step_done(actor=alice, step=step, note="Mother and brother told at home with Det. Lee.")
        with pytest.raises(ValidationError, match="already checked off"):
            step_done(actor=alice, step=step)
    step.refresh_from_db()
    assert (step.status, step.finished_by) == (StepStatus.DONE, cast.advocate)
    assert step.note == "Mother and brother told at home with Det. Lee."
    examiner = steps_of(homicide_case)["medical-examiner"]
    assert examiner.due_at == step.finished_at + timedelta(hours=24)
    assert [e.details["step"] for e in new_audit_events(action=AuditAction.PROTOCOL_STEP)] == [
        "next-of-kin"
    ]


def test_skipping_needs_a_reason_and_the_last_step_completes_the_protocol(
    cast, homicide_case, alice
):
    steps = steps_of(homicide_case)
    with agency_scope(cast.agency_a):
        with pytest.raises(ValidationError, match="Say why"):
            step_skip(actor=alice, step=steps["media"], reason="  ")
        for key, step in steps.items():
            if key == "media":
                step_skip(actor=alice, step=step, reason="No media interest")
            else:
                step_done(actor=alice, step=step)
    protocol = CaseProtocol.objects.get(case=homicide_case)
    assert protocol.completed_at is not None
    assert steps_of(homicide_case)["media"].skip_reason == "No media interest"


def test_late_steps_are_on_the_specialists_to_do_and_the_supervisors_view(
    cast, homicide_case, clock, client_as
):
    clock.move_to(timezone.now() + timedelta(hours=5))  # next of kin was due within 4 hours
    mine = client_as("advocate").get("/protocols/late/").content.decode()
    assert "Next of kin identified" in mine and homicide_case.number in mine
    everyone = client_as("supervisor").get("/protocols/late/").content.decode()
    assert "Next of kin identified" in everyone and "Alice Avery" in everyone
    own_only = client_as("supervisor").get("/protocols/late/?mine=1").content.decode()
    assert "Next of kin identified" not in own_only
    # An advocate who does not hold the case does not see its late steps.
    assert "Next of kin" not in client_as("advocate2").get("/protocols/late/").content.decode()


def test_steps_not_yet_due_are_not_late(cast, homicide_case, clock, client_as):
    clock.move_to(timezone.now() + timedelta(hours=3))
    assert "No late steps." in client_as("supervisor").get("/protocols/late/").content.decode()


def test_the_checklist_buttons_check_off_and_skip_from_the_case_page(
    cast, homicide_case, client_as
):
    client = client_as("advocate")
    steps = steps_of(homicide_case)
    done = client.post(
        f"/protocol-steps/{steps['next-of-kin'].pk}/done/", {"note": "Told in person."}
    )
    assert done.status_code == 302
    refused = client.post(f"/protocol-steps/{steps['media'].pk}/skip/", {"reason": ""})
    assert refused.status_code == 302
    assert CaseStep.objects.get(pk=steps["media"].pk).status == StepStatus.OPEN
    page = client.get(f"/cases/{homicide_case.pk}/").content.decode()
    assert "done by Alice Avery" in page and "Told in person." in page
    # Another agency's advocate learns nothing: 404.
    other = client_as("other_advocate").post(f"/protocol-steps/{steps['media'].pk}/done/")
    assert other.status_code == 404


def test_completion_rates_per_protocol_reach_the_dashboard(
    cast, homicide_case, alice, sam, clock, client_as
):
    with agency_scope(cast.agency_a):
        second = make_case(
            sam, assignee=cast.advocate, victimizations=["homicide_survivor"], report_number="H2"
        )
        for step in CaseStep.objects.filter(case=homicide_case):
            step_done(actor=alice, step=step)  # all on time (done now, before any due time)
    assert CaseProtocol.objects.filter(case=second, completed_at__isnull=True).exists()
    page = client_as("supervisor").get("/reports/").content.decode()
    start = page.index('id="protocol-rates"')
    table = page[start : page.index("</table>", start)]
    assert "Death notification and homicide survivors" in table
    cells = [c.split(">")[-1] for c in table.split("</td>")[:-1]]
    assert cells[:5] == ["2", "1", "50", "100", "0"]
