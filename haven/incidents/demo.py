"""Demo rows of the incidents app.

Outreach rules: the starter rules (docs/outreach.md), so an import into the demo agency opens
cases the way a real unit's would. (These belong with the outreach decisions in the coming
haven/outreach app; move this function there with them.)
"""

from __future__ import annotations

from haven.core.demo import DemoContext
from haven.incidents.rule_services import outreach_rules_start


def outreach_rules_seed(ctx: DemoContext) -> None:
    outreach_rules_start(actor=ctx.actor)
