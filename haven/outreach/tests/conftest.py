"""The outreach tests push exports through the incidents import, as a department does."""

from haven.incidents.tests.conftest import run_import  # noqa: F401 (a fixture)
