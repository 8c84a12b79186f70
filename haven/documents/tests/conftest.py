"""Documents tests keep their files in a temporary MEDIA_ROOT; Val is a volunteer in agency A."""

import pytest

from haven.cases.testing import make_case, make_member
from haven.core.actor import Actor
from haven.core.roles import Role


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def volunteer(cast):
    return make_member(cast.agency_a, "val", Role.VOLUNTEER, full_name="Val Vance")


@pytest.fixture
def val(volunteer):
    return Actor.for_membership(volunteer, ip="127.0.0.1", user_agent="pytest")


@pytest.fixture
def queue_case(cast, sam):
    """An unassigned case: the queue a volunteer sees."""
    return make_case(sam, first_name="Quinn", last_name="Queue", report_number="JA100009")
