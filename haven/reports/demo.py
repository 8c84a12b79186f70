"""Demo rows of the reports app that go through its services: the agency's goals (the seeds'
24 hours / 15 days / 90 %). Survey answers at scale are written by haven/demo/builder.py in
bulk, like the rest of the year of casework."""

import random

from haven.core.actor import Actor
from haven.reports.services import report_goals_save


def seed_demo(*, agency, rng: random.Random) -> None:
    report_goals_save(
        actor=Actor.system(agency, "manage.py demo"),
        first_contact_hours=24,
        resolution_days=15,
        satisfaction_percent=90,
        midcase_survey_days=0,
    )
