"""Shortcuts for the program tests: Val the volunteer in agency A, a partner, a release."""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.cases.testing import make_member
from haven.consent.models import ConsentMethod
from haven.consent.services import release_record
from haven.core.actor import Actor
from haven.core.roles import Role
from haven.partners.models import Organization


@pytest.fixture(autouse=True)
def _on_a_known_day(clock):
    """Quarters and "a date ahead" depend on today: every program test starts on the root
    conftest's Wednesday (Dec 2, 2026: federal fiscal year 2027, quarter 1)."""


@pytest.fixture
def volunteer(cast):
    return make_member(cast.agency_a, "val", Role.VOLUNTEER, full_name="Val Vance")


@pytest.fixture
def val(volunteer):
    return Actor.for_membership(volunteer, ip="127.0.0.1", user_agent="pytest")


@pytest.fixture
def shelter(cast):
    return Organization.objects.create(agency=cast.agency_a, name="Safe Harbor Shelter")


@pytest.fixture
def coordination_release(cast, alice, shelter):
    """A release from case A's victim to the shelter, for coordinating services."""
    today = timezone.localdate()
    return release_record(
        actor=alice,
        case=cast.case_a,
        person=cast.case_a.primary_victim,
        recipient_organization=shelter,
        purposes=["service_coordination"],
        categories=["identity", "case_facts"],
        method=ConsentMethod.PAPER,
        signed_on=today,
        expires_on=today + timedelta(days=90),
        informed_confirmed=True,
    )
