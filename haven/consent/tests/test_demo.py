"""The demo loader's releases are made through the services and pass the gate's rules."""

import random

from haven.audit.models import AuditAction
from haven.cases.testing import make_case
from haven.consent.demo import SAO, seed_demo
from haven.consent.models import ReleaseOfInformation


def test_the_demo_records_releases_through_the_services(cast, sam, new_audit_events):
    for i in range(5):
        make_case(sam, first_name=f"Demo{i}", assignee=cast.advocate)
    seed_demo(agency=cast.agency_a, rng=random.Random(5))
    releases = list(ReleaseOfInformation.objects.filter(agency=cast.agency_a))
    assert len(releases) == 6
    assert {r.recipient_name for r in releases} == {SAO}  # no partners in the cast
    assert sum(r.revoked_at is not None for r in releases) == 1
    assert len(new_audit_events(action=AuditAction.CONSENT_RECORD)) == 6
