"""Background work on partner referrals: once an hour, expire the referrals partners never
answered. A thin caller of the service, each agency in its own scope; any number of workers
may run it (each referral is claimed with a conditional update)."""

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from haven.agencies.models import Agency
from haven.core.scoping import agency_scope
from haven.referrals.services import referrals_expire

logger = logging.getLogger(__name__)


def run_hour(now=None) -> dict[int, int]:
    """Expire every agency's unanswered referrals; returns how many per agency."""
    now = now or timezone.now()
    expired, failures = {}, []
    for agency in Agency.objects.order_by("pk"):
        with agency_scope(agency):
            try:
                expired[agency.pk] = referrals_expire(agency=agency, now=now)
            except Exception as exc:  # one agency's trouble must not hold up the others
                logger.exception("Referral expiry failed for agency %s.", agency.pk)
                failures.append(exc)
    if failures:
        raise failures[0]
    return expired


@db_periodic_task(crontab(minute="20"))
def referrals_hourly() -> dict[int, int]:
    return run_hour()
