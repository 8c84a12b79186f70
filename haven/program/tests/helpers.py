"""Agency B's program rows, for the cross-tenant route walk (haven/core/tests)."""

from datetime import date
from decimal import Decimal

from haven.program.models import Activity, ActivityKind


def other_agency_program(cast) -> dict:
    activity = Activity.objects.create(
        agency=cast.agency_b,
        kind=ActivityKind.OUTREACH,
        topic="Lakeside fair",
        held_on=date(2026, 11, 1),
        hours=Decimal(2),
        time_spent=Decimal(2),
        led_by=cast.other_advocate,
    )
    return {"activity_id": activity.pk}
