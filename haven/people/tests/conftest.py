# The cases tests' shortcuts (the cast's actors and new_audit_events are in the root conftest).
from haven.cases.tests.conftest import NON_CASEWORKER_ROLES, row_counts  # noqa: F401
