"""Shortcuts for the compensation tests: a claim on Alice's case (crime 10 days ago, reported
the next day, an eligible crime) and a restitution order.

Every test here runs on the frozen `clock` (root conftest.py: Wednesday 2 December 2026, 10:00
in Chicago), so "10 days ago" and the deadlines computed from it are the same on any day the
suite runs (docs/testing.md). `days_ago` reads the clock when the test runs: never call it at
import time (in a `parametrize` list), pass the number of days instead."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from haven.compensation.services import claim_create, restitution_order_create

NON_CASEWORKER_ROLES = ["officer", "analyst", "auditor"]


@pytest.fixture(autouse=True)
def _on_the_known_wednesday(clock):
    return clock


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def make_claim(cast, alice):
    def make(actor=None, *, case=None, **facts):
        case = case or cast.case_a
        values = {
            "claimant": case.primary_victim,
            "claimant_relation": "victim",
            "crime_date": days_ago(10),
            "crime_type": "domestic_battery",
            "reported_on": days_ago(9),
            "police_agency": "Riverside PD",
            "cooperated": "yes",
        } | facts
        return claim_create(actor=actor or alice, case=case, **values)

    return make


@pytest.fixture
def claim(make_claim):
    return make_claim()


@pytest.fixture
def order(cast, alice):
    return restitution_order_create(
        actor=alice,
        case=cast.case_a,
        payee=cast.case_a.primary_victim,
        court_case_number="2026-CF-0142",
        amount=Decimal("1000.00"),
        ordered_on=days_ago(30),
        payer_name="Victor Defendant",
        schedule_note="$100 a month",
    )
