"""Demo safety plans: a dozen victims on active cases (domestic violence and stalking first) have a
plan their specialist wrote with them, a few of them revised since (so the revision history
and the comparison have something to show). Written through safety_plan_revise as the case's
specialist, like a specialist would."""

from __future__ import annotations

from django.db.models import Q

from haven.cases.models import Case, CaseStatus
from haven.core.actor import Actor
from haven.core.demo import DemoContext
from haven.safety.services import safety_plan_revise

PLANS = 12
FIRST = {
    "warning_signs": (
        "He starts drinking after his Friday shift and checks my phone. When he brings up my "
        "sister I know an argument is coming."
    ),
    "safe_places": (
        "Go to my sister's on Elm Street (she knows the plan). At night, the 24-hour pharmacy "
        "on the corner. At home: the kitchen has the back door, avoid the bathroom."
    ),
    "people_to_call": (
        "911 in an emergency. My sister (code word: 'the blue sweater'). My specialist at the "
        "unit during office hours; the 24-hour hotline after hours."
    ),
    "emergency_bag": (
        "Copies of IDs, birth certificates and the order of protection, spare keys, phone "
        "charger, medication for a week, some cash. Bag kept at my sister's."
    ),
    "children": (
        "The children know to go to the neighbor's and call 911. School has a copy of the "
        "order; only I or my sister pick them up."
    ),
    "technology": (
        "Changed the passwords and turned off location sharing. New phone number given only "
        "to family and the unit."
    ),
}
REVISED = {
    "protective_orders": (
        "Plenary order of protection granted; copy kept in the bag and given to work and "
        "school. Call 911 if he comes within 500 feet."
    ),
    "work_school": (
        "Told my manager; security walks me to the car. Parking moved to the front lot."
    ),
}


def safety_plans_seed(ctx: DemoContext) -> None:
    active = (
        Case.objects.filter(agency=ctx.agency, status=CaseStatus.ACTIVE, assigned_to__isnull=False)
        .select_related("primary_victim", "assigned_to__user", "assigned_to__agency")
        .order_by("pk")
    )
    danger = Q(victimizations__code__in=("domestic_violence", "stalking"))
    first = list(active.filter(danger).distinct()[:200])
    # Domestic violence and stalking first; other victims when there are too few of those.
    others = list(active.exclude(pk__in=[c.pk for c in first])[: max(0, PLANS - len(first))])
    cases = ctx.rng.sample(first, min(PLANS, len(first))) + others
    for n, case in enumerate(cases[:PLANS]):
        specialist = Actor.for_membership(case.assigned_to)
        victim = case.primary_victim
        safety_plan_revise(
            actor=specialist,
            case=case,
            person=victim,
            sections=FIRST,
            language="en",
            note="Written with the victim on the first call.",
            based_on=0,
        )
        if n % 3 == 0:
            safety_plan_revise(
                actor=specialist,
                case=case,
                person=victim,
                sections={**FIRST, **REVISED},
                language="en",
                note="Updated after the order of protection hearing.",
                based_on=1,
            )
