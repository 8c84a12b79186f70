"""The demo directory: a dozen partners, searchable, with one MOU lapsing soon."""

import random

from haven.partners.demo import seed_demo
from haven.partners.models import MOU, Organization
from haven.partners.selectors import mou_in_force, mou_rows, services_search


def test_the_demo_directory_is_searchable_and_has_an_mou_lapsing_soon(cast, alice):
    seed_demo(agency=cast.agency_a, rng=random.Random(7))

    assert Organization.objects.filter(agency=cast.agency_a).count() == 12
    assert services_search(alice, need="shelter", language="es").count() == 1
    assert services_search(alice, need="immigration", language="ar").count() == 1
    assert services_search(alice, place="Riverside").count() > 10
    lapsing = [r.mou.organization.name for r in mou_rows(alice, lapsing_only=True)]
    assert lapsing == ["Lakeshore Legal Aid", "Silver Years Elder Justice Program"]
    housing = Organization.objects.get(agency=cast.agency_a, name="New Roots Housing Partnership")
    assert mou_in_force(housing) is None
    assert MOU.objects.filter(agency=cast.agency_a).count() == 10
