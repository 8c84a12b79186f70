"""Agency B's funding rows, for the tenant-isolation walk (haven/core/tests)."""

from datetime import date
from decimal import Decimal

from haven.funding.models import EmergencyFund, EmergencyRequest, FundingSource


def other_agency_funding(cast) -> dict:
    """source_id and request_id of agency B (names carry "Lakeside" so a leak shows)."""
    source = FundingSource.objects.create(
        agency=cast.agency_b,
        name="Lakeside VOCA",
        kind="voca",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    fund = EmergencyFund.objects.create(agency=cast.agency_b, source=source, balance=Decimal("100"))
    found = EmergencyRequest.objects.create(
        agency=cast.agency_b,
        case=cast.case_b,
        fund=fund,
        purpose="food",
        amount=Decimal("10"),
        detail="Lakeside groceries",
        requested_by=cast.other_advocate,
    )
    return {"source_id": source.pk, "request_id": found.pk}
