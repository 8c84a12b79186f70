"""The demo's open cases show protocol checklists, some steps done and some late."""

import pytest

from haven.core.scoping import all_agencies
from haven.demo.builder import build_demo
from haven.outreach.models import OutreachRule
from haven.protocols.models import CaseProtocol, CaseStep, ProtocolTemplate, StepStatus

pytestmark = pytest.mark.django_db


def test_the_demo_gives_its_open_cases_checklists_and_its_rules_protocols(clock):
    build_demo(agencies=1, cases=200, seed=7)
    with all_agencies():
        assert ProtocolTemplate.objects.count() == 7
        homicide_rule = OutreachRule.objects.get(name="Homicide survivors")
        assert homicide_rule.protocol.key == "homicide-survivors"
        protocols = CaseProtocol.objects.select_related("case")
        assert protocols.count() > 5
        assert all(p.case.is_open for p in protocols)
        assert all(p.started_at == p.case.created_at for p in protocols)
        statuses = set(CaseStep.objects.values_list("status", flat=True))
        assert StepStatus.DONE in statuses and StepStatus.OPEN in statuses
        assert any(step.is_late() for step in CaseStep.objects.all())
