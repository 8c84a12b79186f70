"""The demo loader's referrals: made through the services, mailing nobody."""

import random

from haven.referrals.demo import seed_demo
from haven.referrals.models import Referral, ReferralEvent


def test_the_demo_refers_open_cases_without_mailing(cast, shelter, smtp_inbox):
    seed_demo(agency=cast.agency_a, rng=random.Random(4))
    referrals = list(Referral.objects.filter(agency=cast.agency_a))
    assert referrals and all(r.organization == shelter.organization for r in referrals)
    assert ReferralEvent.objects.filter(referral__in=referrals).exists()
    assert smtp_inbox.messages == []
    assert not Referral.objects.filter(agency=cast.agency_b).exists()
