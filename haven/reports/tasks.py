"""Background work of the reports app: the daily mid-case survey round, each agency in its own
scope."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from haven.agencies.models import Agency
from haven.core.scoping import agency_scope
from haven.reports.services import surveys_midcase

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="20", hour="15"))
def midcase_surveys() -> dict[int, int]:
    offered = {}
    for agency in Agency.objects.order_by("pk"):
        with agency_scope(agency):
            try:
                offered[agency.pk] = surveys_midcase(agency=agency)
            except Exception:  # one agency's trouble must not hold up the others
                logger.exception("Mid-case surveys failed for agency %s.", agency.pk)
    return offered
