"""Background work on partners: the daily MOU reminder, a thin caller of reminders.py, each
agency in its own scope."""

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from haven.agencies.models import Agency
from haven.core.scoping import agency_scope
from haven.partners.reminders import send_mou_reminders

logger = logging.getLogger(__name__)


def run_day() -> dict[int, list[tuple[int, int]]]:
    """Every agency's MOU reminders due today (its own today). Safe to run any number of
    times: each reminder is claimed once."""
    site_url = getattr(settings, "SITE_URL", "")
    sent, failures = {}, []
    for agency in Agency.objects.order_by("pk"):
        with agency_scope(agency):
            try:
                sent[agency.pk] = send_mou_reminders(agency=agency, site_url=site_url)
            except Exception as exc:  # one agency's trouble must not hold up the others
                logger.exception("MOU reminders failed for agency %s.", agency.pk)
                failures.append(exc)
    if failures:
        raise failures[0]
    return sent


# Daily at 13:30 UTC: morning in the United States. A mail server down for a while delays the
# reminders (retries within the day), never loses or repeats them.
@db_periodic_task(crontab(hour="13", minute="30"), retries=3, retry_delay=1800)
def mou_reminders_daily() -> dict[int, list[tuple[int, int]]]:
    return run_day()
