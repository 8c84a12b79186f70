"""The cases tests' shortcuts the intake tests share: who is on call, row counts."""

from haven.cases.tests.conftest import on_call, row_counts  # noqa: F401
