"""Shortcuts for the referral tests: a partner (a shelter with one service) in agency A and one
in agency B, a second partner in A, releases of information signed by Alice's victim, and a
referral ready to send."""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.consent.models import ConsentMethod, ReleaseOfInformation
from haven.partners.services import organization_save, service_save
from haven.referrals.services import referral_propose, referral_send

EVERYTHING = ["identity", "contact", "location", "case_facts", "service_needs", "notes"]


@pytest.fixture
def shelter(cora):
    org = organization_save(actor=cora, name="Harbor House", email="intake@harbor.example")
    return service_save(
        actor=cora,
        organization=org,
        name="Emergency shelter",
        email="shelter@harbor.example",
        needs=["shelter"],
        languages=["en", "es"],
    )


@pytest.fixture
def legal_aid(cora):
    org = organization_save(actor=cora, name="Legal Aid Chicago", email="help@legalaid.example")
    return service_save(actor=cora, organization=org, name="Protective orders", needs=["legal_aid"])


@pytest.fixture
def release(cast, shelter):
    """release(**changes): a release from Alice's victim to the shelter for referral, all the
    categories a referral shares, signed yesterday, 90 days long, unless changed."""

    def sign(**changes):
        now = timezone.now()
        fields = {
            "agency": cast.agency_a,
            "person": cast.victim_a,
            "case": cast.case_a,
            "recipient_organization": shelter.organization,
            "purposes": ["referral"],
            "categories": list(EVERYTHING),
            "method": ConsentMethod.PAPER,
            "signer_not_offender_confirmed": True,
            "informed_confirmed": True,
            "signed_at": now - timedelta(days=1),
            "expires_at": now + timedelta(days=90),
            "recorded_by": cast.advocate,
        } | changes
        return ReleaseOfInformation.objects.create(**fields)

    return sign


@pytest.fixture
def proposal(cast, alice, shelter):
    """propose(**changes): Alice proposes referring her victim to the shelter."""

    def make(**changes):
        fields = {
            "case": cast.case_a,
            "service": shelter,
            "need": "shelter",
            "categories": ["identity", "contact", "service_needs"],
            "message": "Needs a bed for herself and two children tonight.",
            "urgency": "urgent",
        } | changes
        return referral_propose(actor=alice, **fields)

    return make


@pytest.fixture
def sent(alice, proposal, release, smtp_inbox, django_capture_on_commit_callbacks):
    """A referral sent under a release (its mail delivered); returns (referral, token)."""
    release()
    referral = proposal()
    with django_capture_on_commit_callbacks(execute=True):
        return referral_send(actor=alice, referral=referral, site_url="http://testserver")
