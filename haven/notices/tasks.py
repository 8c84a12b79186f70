"""Background sending: a kick right after a message is queued, and a sweep every minute that
also recovers claims left by a worker that died. Both are thin callers of services.send_due,
which claims a batch and hands each message over with a conditional UPDATE, so any number
of workers is safe. The same for alerts to staff and partners (staff_alerts.py), and the
24-hour clock's sweep (digests.py)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from haven.notices.delivery import apply_pending
from haven.notices.digests import clock_sweep
from haven.notices.services import send_due
from haven.notices.staff_alerts import alerts_send_due


@db_task()
def notices_kick(agency_id: int) -> int:
    return send_due(agency_id=agency_id, batch=20)


@db_periodic_task(crontab(minute="*"))
def notices_every_minute() -> int:
    return send_due(batch=200)


@db_task()
def staff_alerts_kick(agency_id: int) -> int:
    return alerts_send_due(agency_id=agency_id, batch=20)


@db_periodic_task(crontab(minute="*"))
def staff_alerts_every_minute() -> int:
    return alerts_send_due(batch=200)


# Every quarter hour: warnings are per case and kind once, so the rhythm only sets how soon
# after the point a warning arrives.
@db_periodic_task(crontab(minute="*/15"))
def clock_every_quarter_hour() -> int:
    return clock_sweep()


# Delivery reports that came before the worker recorded the provider's id (delivery.py).
@db_periodic_task(crontab(minute="*"))
def delivery_reports_every_minute() -> int:
    return apply_pending()
