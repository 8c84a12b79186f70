"""Demo rows of the outreach app: the starter rules (docs/outreach.md), so an import into the
demo agency opens cases the way a real unit's would."""

from __future__ import annotations

from haven.core.demo import DemoContext
from haven.outreach.services import outreach_rules_start


def outreach_rules_seed(ctx: DemoContext) -> None:
    outreach_rules_start(actor=ctx.actor)
