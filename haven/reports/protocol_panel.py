"""The dashboard's protocols panel: per protocol, how many started in the period, how many
were completed (every step done or skipped), the share of steps done on time, and the steps
late now (haven.protocols). Agency-wide: only the period filter applies. Analysts get small
counts suppressed like the rest of the dashboard."""

from __future__ import annotations

from haven.agencies.roles import Perm
from haven.core.actor import Actor
from haven.protocols.selectors import completion_by_protocol
from haven.reports import suppression
from haven.reports.figures import Filters, ProtocolRate, _bounds, _share


def protocol_rates(actor: Actor, filters: Filters) -> list[ProtocolRate]:
    actor.require(Perm.AGGREGATES_VIEW)
    start, end = _bounds(actor.agency.tz, filters.start, filters.end)
    hide = not actor.has(Perm.CASE_VIEW_ALL)

    def n(value: int):
        return suppression.count(value, suppress=hide)

    def pct(part: int, whole: int):
        return suppression.measure(_share(part, whole), whole, suppress=hide, fmt="{:.0f}")

    return [
        ProtocolRate(
            name=row.name,
            started=n(row.started),
            completed=n(row.completed),
            completion=pct(row.completed, row.started),
            on_time=pct(row.steps_on_time, row.steps_finished),
            late_now=n(row.late_now),
        )
        for row in completion_by_protocol(actor.agency, start=start, end=end)
    ]
