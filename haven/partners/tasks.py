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


# Daily at 13:30 UTC: morning in the United States. A mail server down for a while delays the
# reminders (retries within the day), never loses or repeats them.
@db_periodic_task(crontab(hour="13", minute="30"), retries=3, retry_delay=1800)
def mou_reminders_daily() -> dict[int, list[tuple[int, int]]]:
    return run_day()
