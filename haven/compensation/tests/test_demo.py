import random

import pytest

from haven.cases.testing import make_case
from haven.compensation.demo import seed_demo
from haven.compensation.models import Claim, RestitutionOrder

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_claims_at_several_stages_and_restitution(cast, alice):
    for i in range(6):
        make_case(alice, first_name=f"Demo{i}", last_name="Person")
    seed_demo(agency=cast.agency_a, rng=random.Random(7))
    statuses = set(Claim.objects.filter(agency=cast.agency_a).values_list("status", flat=True))
    assert {"draft", "awarded", "denied"} <= statuses
    assert RestitutionOrder.objects.filter(agency=cast.agency_a, payments__isnull=False).exists()
