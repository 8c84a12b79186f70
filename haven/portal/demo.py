"""Demo status page: one open case with a court date ahead has its victim offered the status
page, with court dates, custody changes, the claim and referrals released, through the same
service a specialist uses (the link goes to a safe channel, or nowhere if none is safe). Picks
its case without the agency's Random, so adding this step changes no other demo rows."""

import random

from django.utils import timezone

from haven.cases.models import OPEN_STATUSES, Case
from haven.core.actor import Actor
from haven.justice.models import CourtEvent, CustodyEvent
from haven.portal.models import StatusPage
from haven.portal.services import page_offer

NEXT_STEPS = (
    "Your next court date is a short hearing: you do not have to speak. I can go with you; "
    "call me the week before."
)


def seed_demo(*, agency, rng: random.Random | None = None) -> StatusPage | None:
    actor = Actor.system(agency, "manage.py demo")
    ahead = CourtEvent.objects.filter(
        agency=agency, scheduled_at__gt=timezone.now(), case__status__in=OPEN_STATUSES
    )
    case = (
        Case.objects.filter(pk__in=ahead.values("case_id"), assigned_to__isnull=False)
        .select_related("primary_victim", "assigned_to__user")
        .order_by("pk")
        .first()
    )
    if case is None:
        return None
    custody = CustodyEvent.objects.filter(case=case).values_list("pk", flat=True)
    offered = page_offer(
        actor=actor,
        case=case,
        person=case.primary_victim,
        show_court=True,
        show_compensation=True,
        show_referrals=True,
        custody_ids=list(custody),
        next_steps=NEXT_STEPS,
    )
    return offered.page
