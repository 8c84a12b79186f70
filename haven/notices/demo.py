"""Demo messages: a few open cases' victims were told who their specialist is, over whatever
channel their contact rules allow (email, text, a letter to print or a call task). The worker
sends the queued ones like any other (the console SMS provider only logs)."""

import random

from haven.cases.models import OPEN_STATUSES, Case
from haven.core.actor import Actor
from haven.notices.services import message_queue


def seed_demo(*, agency, rng: random.Random) -> None:
    actor = Actor.system(agency, "manage.py demo")
    cases = list(
        Case.objects.filter(agency=agency, status__in=OPEN_STATUSES, assigned_to__isnull=False)
        .select_related("primary_victim", "assigned_to__user")
        .order_by("pk")[:80]
    )
    for case in rng.sample(cases, min(12, len(cases))):
        message_queue(
            actor=actor,
            case=case,
            person=case.primary_victim,
            template="specialist_assigned",
            facts={"specialist": case.assigned_to.display_name},
            dedupe_key=f"assigned:{case.pk}:{case.assigned_to_id}",
            source="demo",
        )
