from django.core.management.base import BaseCommand


class RoutineCommand(BaseCommand):
    """A command a unit runs routinely, often from cron: a report, an import, an export, a check.

    It skips Django's system checks. They import every URL module and through it every view (and
    the PDF library), two to three seconds of each run, and they belong to deploying
    (`manage.py check --deploy`), to `make test` and to the web server's start, not to a report.
    """

    requires_system_checks = []
