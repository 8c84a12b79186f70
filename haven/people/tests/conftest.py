# The cases tests' shortcuts: the cast as actors, new audit events, table row counts.
from haven.cases.tests.conftest import (  # noqa: F401
    NON_CASEWORKER_ROLES,
    alice,
    bob,
    charlie,
    new_audit_events,
    row_counts,
    sam,
)
