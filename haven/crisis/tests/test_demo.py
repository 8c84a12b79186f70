"""The crisis demo rows: made through the services, so every one passes their checks."""

import random

import pytest

from haven.crisis import demo
from haven.crisis.models import AnonymousContact, CallOut, CallOutStatus

pytestmark = pytest.mark.django_db


def test_the_demo_makes_call_outs_and_anonymous_contacts(cast):
    demo.seed_demo(agency=cast.agency_a, rng=random.Random(7))

    callouts = CallOut.objects.filter(agency=cast.agency_a)
    assert callouts.count() == demo.CALLOUTS
    assert {c.status for c in callouts.order_by("-requested_at")[:2]} == {
        CallOutStatus.DISPATCHED,
        CallOutStatus.ARRIVED,
    }
    arrived = [c for c in callouts if c.arrived_at]
    assert all(0 < c.response_minutes <= 24 * 60 for c in arrived)
    assert AnonymousContact.objects.filter(agency=cast.agency_a).count() == demo.CONTACTS
