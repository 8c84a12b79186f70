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
    "A case was closed (status closed; not declined or unable to contact). Facts: case_id.",
)
