"""Agency B's referral objects for the tenant isolation walk (haven/core/tests)."""

from datetime import timedelta

from django.utils import timezone

from haven.lib.tokens import token_digest
from haven.partners.models import Organization, Service
from haven.referrals.models import Referral, ReferralLink, ReferralStatus

B_TOKEN = "b-agency-token-that-only-works-under-lakeside-0000"


def other_agency_referral(cast) -> dict:
    """A referral of B's victim, sent, with a live link. The walk opens the partner route with
    A's address and B's real token: a token only works under its own agency."""
    now = timezone.now()
    org = Organization.objects.create(agency=cast.agency_b, name="B's shelter")
    service = Service.objects.create(agency=cast.agency_b, organization=org, name="Beds")
    referral = Referral.objects.create(
        agency=cast.agency_b,
        case=cast.case_b,
        person=cast.case_b.primary_victim,
        service=service,
        organization=org,
        need="shelter",
        categories=["identity"],
        status=ReferralStatus.SENT,
        sent_at=now,
    )
    ReferralLink.objects.create(
        agency=cast.agency_b,
        referral=referral,
        digest=token_digest(B_TOKEN),
        expires_at=now + timedelta(days=14),
    )
    return {
        "referral_id": referral.pk,
        "partner_service_id": service.pk,
        "partner_agency": cast.agency_a.slug,
        "referral_token": B_TOKEN,
    }
