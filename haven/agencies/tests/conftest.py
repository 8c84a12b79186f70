from haven.cases.tests.conftest import alice, cora, new_audit_events  # noqa: F401
