"""The demo agency's funding: sources with one default, splits that add up, funds whose
balance is deposits minus disbursements, and services tagged to sources."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from haven.assistance.models import ServiceProvided
from haven.demo.builder import build_demo
from haven.funding.models import (
    EmergencyFund,
    EmergencyRequest,
    FundingSource,
    RequestStatus,
    TimeSplit,
)

pytestmark = pytest.mark.django_db


def test_the_demo_agency_has_a_quarter_of_funding_to_report_on():
    build_demo(agencies=1, cases=60, seed=7)

    assert FundingSource.objects.count() == 4
    assert FundingSource.objects.filter(is_default=True).count() == 1
    for member_id, day in set(TimeSplit.objects.values_list("member_id", "effective_from")):
        lines = TimeSplit.objects.filter(member_id=member_id, effective_from=day)
        assert lines.aggregate(total=Sum("percent"))["total"] == 100
    statuses = set(EmergencyRequest.objects.values_list("status", flat=True))
    assert statuses == set(RequestStatus.values)
    for fund in EmergencyFund.objects.all():
        deposited = fund.deposits.aggregate(total=Sum("amount"))["total"]
        paid = fund.requests.filter(status=RequestStatus.DISBURSED).aggregate(t=Sum("amount"))
        assert fund.balance == deposited - (paid["t"] or Decimal("0"))
    assert not ServiceProvided.objects.filter(funding_source__isnull=True).exists()
    paid = EmergencyRequest.objects.filter(status=RequestStatus.DISBURSED)
    assert paid.exists()
    for found in paid.select_related("fund"):
        assert ServiceProvided.objects.filter(
            case=found.case,
            sub_service="C7",
            provided_at=found.disbursed_at,
            funding_source=found.fund.source_id,
        ).exists()
