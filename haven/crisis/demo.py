"""Demo call-outs and anonymous contacts: three months of crisis responses (scene, hospital,
station, home, by phone; at every hour, slower at night), most on an open case, a couple still
open now so the list has something on top; and a few dozen anonymous hotline calls and walk-ins.
Written through the crisis services as the system actor, like the other apps' demos."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from haven.agencies.models import District, Membership
from haven.agencies.roles import CASEWORKER_ROLES
from haven.cases.models import OPEN_STATUSES, Case
from haven.core.actor import Actor
from haven.crisis.models import ContactKind, Place, RequestedBy
from haven.crisis.services import (
    REFERRALS,
    CallOutInput,
    anonymous_contact_record,
    callout_outcome,
    callout_record,
)

CALLOUTS = 40
CONTACTS = 45
DAYS = 90
PLACES = [Place.SCENE] * 4 + [Place.HOSPITAL] * 3 + [Place.STATION, Place.HOME, Place.PHONE]
ASKERS = [RequestedBy.OFFICER] * 5 + [
    RequestedBy.HOSPITAL,
    RequestedBy.DISPATCH,
    RequestedBy.HOTLINE,
]
OUTCOMES = ["served", "served", "case_opened", "declined", "not_present", "referred"]
HOTLINE_SERVICES = [["C2"], ["C2", "A1"], ["C2", "A3"], ["C1", "A4"], ["A2"], ["C2", "A2", "A4"]]
VICTIMIZATIONS = ["", "", "domestic_violence", "stalking", "adult_sexual_assault", "robbery"]


def _minutes(rng: random.Random, hour: int, place: str) -> int:
    """How long it took to get there: minutes by phone, longer at night and to hospitals."""
    if place == Place.PHONE:
        return rng.randint(2, 15)
    night = hour >= 22 or hour < 6
    return (
        rng.randint(15, 45)
        + (rng.randint(10, 40) if night else 0)
        + (10 if place == Place.HOSPITAL else 0)
    )


def seed_demo(*, agency, rng: random.Random) -> None:
    actor = Actor.system(agency, "manage.py demo")
    now = timezone.now()
    districts = list(District.objects.filter(agency=agency).order_by("pk")) or [None]
    team = list(
        Membership.objects.filter(agency=agency, is_active=True, role__in=CASEWORKER_ROLES)
        .select_related("user")
        .order_by("pk")
    )
    cases = list(Case.objects.filter(agency=agency, status__in=OPEN_STATUSES).order_by("pk")[:200])
    for n in range(CALLOUTS):
        asked = now - timedelta(days=rng.uniform(0.2, DAYS), hours=rng.random())
        place = rng.choice(PLACES)
        dispatched = asked + timedelta(minutes=rng.randint(1, 5))
        # Travel starts at the dispatch: an arrival counted from the request could come before
        # it (a phone call answered in 2 minutes, dispatched after 5), which the service refuses.
        arrived = dispatched + timedelta(
            minutes=_minutes(rng, asked.astimezone(agency.tz).hour, place)
        )
        still_open = n < 2  # the newest two: one on the way, one on scene
        if still_open:
            asked = now - timedelta(minutes=20 + 30 * n)
            arrived = asked + timedelta(minutes=15) if n == 1 else None
        callout = callout_record(
            actor=actor,
            data=CallOutInput(
                requested_by=rng.choice(ASKERS),
                requested_at=asked,
                place=place,
                district=rng.choice(districts),
                case=rng.choice(cases) if cases and rng.random() < 0.8 else None,
                responders=rng.sample(team, min(len(team), rng.choice([1, 1, 2]))),
                dispatched_at=dispatched if not still_open else asked + timedelta(minutes=2),
                arrived_at=arrived,
                cleared_at=None
                if still_open
                else arrived + timedelta(minutes=rng.randint(30, 150)),
            ),
        )
        if not still_open:
            callout_outcome(actor=actor, callout=callout, outcome=rng.choice(OUTCOMES))
    for _ in range(CONTACTS):
        anonymous_contact_record(
            actor=actor,
            kind=rng.choice([ContactKind.HOTLINE] * 4 + [ContactKind.WALK_IN]),
            contact_date=(now - timedelta(days=rng.randint(0, DAYS))).astimezone(agency.tz).date(),
            duration_minutes=rng.randint(5, 60),
            victimization=rng.choice(VICTIMIZATIONS),
            services=rng.choice(HOTLINE_SERVICES),
            referral=rng.choice(list(REFERRALS)),
        )
