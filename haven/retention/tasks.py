"""Background work of retention: once a month, list what is due for destruction under each
agency's schedules and tell the supervisors (nothing is destroyed until one approves)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from haven.agencies.models import Agency
from haven.core.scoping import agency_scope
from haven.retention.services import propose_due

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="40", hour="6", day="1"))
def retention_propose_monthly() -> dict[int, int]:
    proposed = {}
    for agency in Agency.objects.order_by("pk"):
        with agency_scope(agency):
            try:
                proposed[agency.pk] = len(propose_due(agency=agency))
            except Exception:  # one agency's trouble must not hold up the others
                logger.exception("Retention proposals failed for agency %s.", agency.pk)
    return proposed
