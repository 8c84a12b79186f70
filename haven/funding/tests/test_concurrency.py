"""Two supervisors pressing Disburse at the same moment must not overdraw the fund nor pay one
request twice. Needs real concurrent writers: PostgreSQL (CI's second pass; locally
HAVEN_DATABASE_URL=postgres://... see docs/testing.md). SQLite serializes writers anyway
(BEGIN IMMEDIATE), and the sequential rules are in test_emergency.py."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection  # noqa: F401 - the skipif conditions read it
from django_scopes import scopes_disabled

from haven.cases.testing import build_cast
from haven.core.testing import at_once
from haven.funding.emergency import request_create, request_decide, request_disburse
from haven.funding.models import EmergencyFund, EmergencyRequest, RequestStatus
from haven.funding.services import fund_deposit, funding_source_save

pytestmark = [
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="SQLite's shared-cache test database cannot take concurrent writers",
    ),
    pytest.mark.django_db(transaction=True),
]


def _at_once(calls) -> list[str]:
    """Each call in its own thread and connection, released together: "paid" or what refused it."""
    return at_once(
        calls, done="paid", refused=ValidationError, say=lambda exc: " ".join(exc.messages)
    )


@pytest.fixture
def setup():
    from datetime import date

    with scopes_disabled():
        cast = build_cast()
        cora, sam, alice = (cast.actor(r) for r in ("coordinator", "supervisor", "advocate"))
        source = funding_source_save(
            actor=cora,
            name="VOCA",
            kind="voca",
            period_start=date(2025, 10, 1),
            period_end=date(2026, 9, 30),
        )
        fund = fund_deposit(
            actor=cora, source=source, amount=Decimal("500"), deposited_on=date(2026, 1, 1)
        ).fund
        yield cast, cora, sam, alice, fund


def _approved(cast, sam, alice, fund, amount):
    found = request_create(
        actor=alice, case=cast.case_a, fund=fund, purpose="lodging", amount=Decimal(amount)
    )
    return request_decide(actor=sam, request=found, approve=True)


def test_two_disbursements_at_once_never_overdraw_the_fund(setup):
    cast, cora, sam, alice, fund = setup
    with scopes_disabled():
        first = _approved(cast, sam, alice, fund, "300")
        second = _approved(cast, sam, alice, fund, "300")
    outcomes = _at_once(
        [
            lambda: request_disburse(actor=sam, request=first),
            lambda: request_disburse(actor=cora, request=second),
        ]
    )
    assert sorted(o[:18] for o in outcomes) == ["The fund holds $20", "paid"]
    with scopes_disabled():
        assert EmergencyFund.objects.get(pk=fund.pk).balance == Decimal("200")
        statuses = sorted(EmergencyRequest.objects.values_list("status", flat=True))
    assert statuses == [RequestStatus.APPROVED, RequestStatus.DISBURSED]


def test_one_request_disbursed_twice_at_once_is_paid_once(setup):
    cast, cora, sam, alice, fund = setup
    with scopes_disabled():
        found = _approved(cast, sam, alice, fund, "100")
    outcomes = _at_once(
        [
            lambda: request_disburse(actor=sam, request=found),
            lambda: request_disburse(actor=cora, request=found),
        ]
    )
    assert sorted(outcomes) == ["This request was already disbursed.", "paid"]
    with scopes_disabled():
        assert EmergencyFund.objects.get(pk=fund.pk).balance == Decimal("400")
