"""Background work on follow-up: one hourly task, a thin caller of the services, each agency in
its own scope. Hourly because agencies keep different clocks: the digest goes out when it is
7 in the morning where the agency is."""

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from haven.agencies.each_agency import each_agency
from haven.followup.notifications import digest_due, send_digests
from haven.followup.services import plans_start_for_active_cases, plans_stop_for_ended_cases


def run_hour(now=None) -> dict[int, list[str]]:
    """For every agency: stop the plans of ended cases, start the rule-made plans of cases that
    became active, and at the agency's digest hour email its specialists. Returns the addresses
    mailed per agency. Safe to run twice: each step claims its work."""
    now = now or timezone.now()
    site_url = getattr(settings, "SITE_URL", "")

    def hour(agency):
        plans_stop_for_ended_cases(agency=agency, now=now)
        plans_start_for_active_cases(agency=agency, now=now)
        if digest_due(agency, now):
            return send_digests(agency=agency, now=now, site_url=site_url)
        return None

    return each_agency(hour, what="Follow-up hour")


# The digests go through the staff-alert outbox (its worker retries the mail); a retry here
# covers a database hiccup, and what was queued is not queued again.
@db_periodic_task(crontab(minute="5"), retries=2, retry_delay=600)
def followup_hourly() -> dict[int, list[str]]:
    return run_hour()
