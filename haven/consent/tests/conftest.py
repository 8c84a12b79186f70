"""Builders the consent tests share: a partner in the directory and a release of information
recorded through the service, as a specialist would."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from haven.consent.models import ConsentMethod, ReleaseOfInformation
from haven.consent.services import release_record
from haven.partners.models import Organization


@pytest.fixture
def shelter(cast):
    return Organization.objects.create(agency=cast.agency_a, name="Safe Harbor Shelter")


@pytest.fixture
def legal_aid(cast):
    return Organization.objects.create(agency=cast.agency_a, name="Prairie Legal Aid")


def today(agency) -> date:
    return timezone.localdate(timezone=agency.tz)


@pytest.fixture
def record(cast, alice, shelter):
    """record(**overrides): a release from the case's victim to Safe Harbor Shelter for
    referral (identity, contact), signed on paper today, for 90 days."""

    def make(**overrides) -> ReleaseOfInformation:
        fields = {
            "actor": alice,
            "case": cast.case_a,
            "person": cast.case_a.primary_victim,
            "recipient_organization": shelter,
            "purposes": ["referral"],
            "categories": ["identity", "contact"],
            "method": ConsentMethod.PAPER,
            "signed_on": today(cast.agency_a),
            "expires_on": today(cast.agency_a) + timedelta(days=90),
            "informed_confirmed": True,
        }
        fields.update(overrides)
        if "recipient_name" in overrides and "recipient_organization" not in overrides:
            fields["recipient_organization"] = None
        return release_record(**fields)

    return make


def age_back(release: ReleaseOfInformation, **delta) -> ReleaseOfInformation:
    """Move a release's expiry into the past (as if time had passed), bypassing the service
    on purpose: the service refuses to record an already-expired release."""
    ReleaseOfInformation.objects.filter(pk=release.pk).update(
        expires_at=timezone.now() - timedelta(**delta)
    )
    release.refresh_from_db()
    return release


@pytest.fixture(autouse=True)
def _on_a_known_day(clock):
    """Every consent test counts days (deadlines, expiry): all start on the root conftest's
    Wednesday, whatever day the suite runs (docs/testing.md)."""
