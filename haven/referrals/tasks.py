"""Background work on partner referrals: once an hour, expire the referrals partners never
answered. A thin caller of the service, each agency in its own scope; any number of workers
may run it (each referral is claimed with a conditional update)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from haven.agencies.each_agency import each_agency
from haven.referrals.services import referrals_expire


def run_hour(now=None) -> dict[int, int]:
    """Expire every agency's unanswered referrals; returns how many per agency."""
    now = now or timezone.now()
    return each_agency(
        lambda agency: referrals_expire(agency=agency, now=now), what="Referral expiry"
    )


@db_periodic_task(crontab(minute="20"))
def referrals_hourly() -> dict[int, int]:
    return run_hour()
