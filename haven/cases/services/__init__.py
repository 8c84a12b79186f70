"""Every change to a case. Each service takes the acting staff member, checks permission,
guards the current status, validates, saves, writes the timeline event and the audit event,
all in one transaction. Callers import them from here (`from haven.cases import services`);
each lives in the module named for what it changes: `opening.py`, `assignment.py`,
`status.py`, `contacts.py`, `work.py` (notes, tasks, people on the case)."""

from haven.cases.services.assignment import case_assign
from haven.cases.services.checks import CLOCK_SKEW
from haven.cases.services.contacts import contact_log
from haven.cases.services.opening import VICTIMIZATION_CODES, case_open, next_case_number
from haven.cases.services.status import (
    ALLOWED_MOVES,
    STATUS_FIELDS,
    case_change_status,
    case_closure_review,
)
from haven.cases.services.work import case_add_person, note_add, task_add, task_complete

__all__ = [
    "ALLOWED_MOVES",
    "CLOCK_SKEW",
    "STATUS_FIELDS",
    "VICTIMIZATION_CODES",
    "case_add_person",
    "case_assign",
    "case_change_status",
    "case_closure_review",
    "case_open",
    "contact_log",
    "next_case_number",
    "note_add",
    "task_add",
    "task_complete",
]
