"""Shortcuts for the justice tests: a court case on Alice's case (agency A)."""

import pytest

from haven.justice import services


@pytest.fixture
def court_case(cast, alice):
    return services.court_case_save(
        actor=alice,
        case=cast.case_a,
        court="Circuit Court of Cook County",
        number="26CR0001",
        defendant_name="Victor Vance",
        charges="720 ILCS 5/12-3.2 Domestic battery",
        prosecutor_name="Pat Prosecutor",
    )


@pytest.fixture
def federal_case(cast, alice, cora):
    services.justice_settings_save(actor=cora, illinois=True, federal_cvra=True)
    return services.court_case_save(
        actor=alice,
        case=cast.case_a,
        court="U.S. District Court, N.D. Ill.",
        level="federal",
        number="1:26-cr-00042",
    )


@pytest.fixture(autouse=True)
def _on_a_known_day(clock):
    """Every justice test reasons about days or hours: all start on the root conftest's
    Wednesday, whatever day the suite runs (docs/testing.md)."""
