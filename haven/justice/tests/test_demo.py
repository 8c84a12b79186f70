"""The demo seed runs through the services and leaves a docket and obligations."""

import random

import pytest

from haven.justice.demo import seed_demo
from haven.justice.models import CourtCase, CourtEvent, RightsObligation

pytestmark = pytest.mark.django_db


def test_the_demo_seed_builds_a_docket_with_obligations(cast):
    seed_demo(agency=cast.agency_a, rng=random.Random(6))

    assert CourtCase.objects.filter(agency=cast.agency_a).count() == 1
    assert CourtEvent.objects.filter(agency=cast.agency_a).count() == 2
    assert RightsObligation.objects.filter(agency=cast.agency_a).exists()
    assert not CourtCase.objects.filter(agency=cast.agency_b).exists()
