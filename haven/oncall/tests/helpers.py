"""Agency B's roster rows, for the tenant-isolation walk (haven/core/tests) and these tests."""

from datetime import time, timedelta

from django.utils import timezone

from haven.oncall.models import Holiday, OnCallPattern, OnCallShift


def other_agency_objects(cast) -> dict:
    """A shift, a pattern slot and a holiday of agency B (Charlie on call), by path parameter."""
    b, charlie = cast.agency_b, cast.other_advocate
    start = timezone.now() + timedelta(days=1)
    shift = OnCallShift.objects.create(
        agency=b, member=charlie, starts_at=start, ends_at=start + timedelta(hours=8)
    )
    slot = OnCallPattern.objects.create(
        agency=b, weekday=0, starts=time(22), ends=time(6), member=charlie
    )
    holiday = Holiday.objects.create(
        agency=b, date=(start + timedelta(days=3)).date(), name="Lakeside Day", member=charlie
    )
    return {"shift_id": shift.pk, "slot_id": slot.pk, "holiday_id": holiday.pk}
