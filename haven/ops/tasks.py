"""The worker's heartbeat: written every minute (and when a worker starts), read by /healthz,
so a load balancer or monitor sees a worker that died or stopped running periodic tasks."""

from django.db import close_old_connections
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from haven.core.planner_statistics import refresh_planner_statistics
from haven.ops.services import worker_heartbeat_record


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    worker_heartbeat_record()


@HUEY.on_startup()
def _beat_on_startup() -> None:
    # Without this a fresh worker reads as dead until the first minute boundary.
    try:
        worker_heartbeat_record()
    finally:
        close_old_connections()


@db_periodic_task(crontab(hour="2", minute="30"))
def planner_statistics_nightly() -> None:
    """The day's imports and cases change how selective each index is."""
    refresh_planner_statistics()
