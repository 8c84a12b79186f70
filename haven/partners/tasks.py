"""Background work on partners: the daily MOU reminder, a thin caller of reminders.py, each
agency in its own scope."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from haven.agencies.each_agency import each_agency
from haven.partners.reminders import send_mou_reminders


def run_day() -> dict[int, list[tuple[int, int]]]:
    """Every agency's MOU reminders due today (its own today). Safe to run any number of
    times: each reminder is claimed once."""
    site_url = getattr(settings, "SITE_URL", "")

    def remind(agency):
        return send_mou_reminders(agency=agency, site_url=site_url)

    return each_agency(remind, what="MOU reminders")


# Daily at 13:30 UTC: morning in the United States. The reminders go through the staff-alert
# outbox (its worker retries the mail); a retry here covers a database hiccup, never repeats.
@db_periodic_task(crontab(hour="13", minute="30"), retries=3, retry_delay=1800)
def mou_reminders_daily() -> dict[int, list[tuple[int, int]]]:
    return run_day()
