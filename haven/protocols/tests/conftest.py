"""Protocol tests reason about due times: they all run on the known Wednesday (docs/testing.md)."""

import pytest

from haven.core.scoping import agency_scope
from haven.incidents.tests.conftest import run_import  # noqa: F401 (a fixture)
from haven.protocols.models import ProtocolTemplate
from haven.protocols.services import protocol_templates_start


@pytest.fixture(autouse=True)
def _on_a_wednesday(clock):
    yield clock


@pytest.fixture
def shipped(cast, cora) -> dict[str, ProtocolTemplate]:
    """Agency A with the shipped starting protocols, by key."""
    with agency_scope(cast.agency_a):
        return {t.key: t for t in protocol_templates_start(actor=cora)}
