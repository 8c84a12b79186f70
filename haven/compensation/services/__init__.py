"""Every write of compensation claims and restitution. Each service checks permission
(case.work) and that the case is in the actor's caseload, validates with messages that say
what to fix, saves in one transaction with its audit event and case timeline line, and leaves
messages to the victim to the notices app (queued in the same transaction, sent after commit).
Callers import them from here; each lives in the module named for what it changes:
`claims.py`, `claim_status.py`, `expenses.py` (with the program's payments), `restitution.py`.
"""

from haven.compensation.services.checks import money
from haven.compensation.services.claim_status import claim_set_status
from haven.compensation.services.claims import (
    FACT_FIELDS,
    claim_create,
    claim_packet,
    claim_update,
)
from haven.compensation.services.expenses import (
    claim_payment_record,
    expense_add,
    expense_update,
)
from haven.compensation.services.restitution import (
    restitution_close,
    restitution_order_create,
    restitution_payment_record,
)

__all__ = [
    "FACT_FIELDS",
    "claim_create",
    "claim_packet",
    "claim_payment_record",
    "claim_set_status",
    "claim_update",
    "expense_add",
    "expense_update",
    "money",
    "restitution_close",
    "restitution_order_create",
    "restitution_payment_record",
]
