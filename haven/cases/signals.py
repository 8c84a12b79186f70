"""What happens to a case that other apps react to (haven.lib.events: sent after commit).

Subscribers connect in their AppConfig.ready; docs/architecture.md lists who listens.
"""

from haven.lib.events import Event

case_assigned = Event(
    "cases.case_assigned",
    "A case was given to a specialist (not sent when it is made unassigned). "
    "Facts: case_id, assignee_id.",
)
case_closed = Event(
    "cases.case_closed",
    "A case was closed for good (status closed; not declined or unable to contact): sent "
    "when the closing is final, so after a supervisor approves one that waited for review. "
    "Facts: case_id.",
)
investigation_status_changed = Event(
    "cases.investigation_status_changed",
    "The police investigation status of an open case's report changed (read from a new export "
    "or set by a specialist). Facts: case_id, status (an incidents InvestigationStatus value), "
    "domestic_violence (the report's flag or the case's victimization), key (unique per change).",
)
