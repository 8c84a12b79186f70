"""Demo program rows: two volunteers (one an intern) with their files and hours, and about
six months of trainings, outreach events, partner meetings and monthly case reviews (the
reviewed cases' victims sign a release to the partners first, as they would). Made through
the services, after the app seeds (haven/demo/builder.py). Draws come from a Random of its
own, so adding this step changes no other app's demo rows."""

from __future__ import annotations

import contextlib
import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.agencies.demo import username_prefix
from haven.agencies.models import Membership
from haven.agencies.roles import Role
from haven.cases.models import OPEN_STATUSES, Case
from haven.consent.services import release_record
from haven.core.actor import Actor
from haven.core.demo import LOADER_LABEL, DemoContext
from haven.partners.models import Organization
from haven.program import services
from haven.program.models import ActivityKind, Audience
from haven.program.services import ActivityInput

MONTHS = 6
TRAININGS = [
    (Audience.OFFICERS, "Trauma-informed response at the scene", "Roll-call slides"),
    (Audience.OFFICERS, "Lethality assessment and the hotline call", "LAP card; protocol"),
    (Audience.OFFICERS, "Victims' rights notices: what to hand out", "Rights card (5 languages)"),
    (Audience.PARTNERS, "How a police referral reaches victim services", "Referral flow"),
    (Audience.COMMUNITY, "Recognizing elder financial abuse", "Handout"),
    (Audience.STAFF, "Confidentiality and privileged notes", "Policy 4.2"),
    (Audience.STAFF, "Documentation that holds up", "Checklist"),
]
OUTREACH = [
    "Back-to-school resource fair",
    "Domestic Violence Awareness Month vigil",
    "Senior center talk on scams",
    "Library table: know your rights",
    "Faith leaders breakfast",
]
MEETINGS = ["Coordinated community response team", "Fact-sharing session with the SAO"]


def seed_demo(ctx: DemoContext) -> None:
    rng = random.Random(f"{ctx.seed}-program-{ctx.profile.slug}")
    actor = Actor.system(ctx.agency, LOADER_LABEL)
    today = timezone.localdate(timezone=ctx.agency.tz)
    volunteers = _volunteers(ctx, rng, actor, today)
    staff = [ctx.supervisor, ctx.coordinator, *ctx.advocates[:4]]
    partners = list(Organization.objects.filter(agency=ctx.agency, is_active=True)[:6])
    for months_ago in range(MONTHS, -1, -1):
        first = (today.replace(day=1) - timedelta(days=31 * months_ago)).replace(day=1)
        _month(rng, actor, first, today, staff, partners)
    for member in volunteers:
        _hours(rng, actor, member, today)


def _volunteers(ctx, rng, actor, today) -> list[Membership]:
    prefix = username_prefix(ctx.profile.slug)
    made = []
    for n, kind in enumerate(("volunteer", "intern"), start=1):
        username = f"{prefix}volunteer{n}"
        user, _ = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": ctx.names.first(rng, "en", rng.choice(["female", "male"])),
                "last_name": ctx.names.last(rng, "en"),
                "email": f"{username}@example.org",
                "password": ctx.supervisor.user.password,
            },
        )
        member = Membership.objects.create(agency=ctx.agency, user=user, role=Role.VOLUNTEER)
        started = today - timedelta(days=rng.randint(120, 400))
        services.volunteer_profile_save(
            actor=actor,
            member=member,
            kind=kind,
            started_on=started,
            background_checked_on=started - timedelta(days=rng.randint(10, 30)),
            trained_on=started + timedelta(days=rng.randint(3, 20)),
        )
        made.append(member)
    return made


def _day(rng, first: date, today: date) -> date | None:
    day = first + timedelta(days=rng.randint(0, 27))
    return day if day <= today else None


def _month(rng, actor, first, today, staff, partners) -> None:
    for _ in range(2):
        if day := _day(rng, first, today):
            audience, topic, materials = rng.choice(TRAININGS)
            hours = Decimal(rng.choice(["1", "1.5", "2"]))
            _record(
                actor,
                kind=ActivityKind.TRAINING,
                topic=topic,
                held_on=day,
                hours=hours,
                time_spent=hours + 2,
                led_by=rng.choice(staff),
                audience=audience,
                attendees=rng.randint(8, 45),
                materials=materials,
            )
    if day := _day(rng, first, today):
        _record(
            actor,
            kind=ActivityKind.OUTREACH,
            topic=rng.choice(OUTREACH),
            held_on=day,
            hours=Decimal(rng.choice(["2", "3", "4"])),
            led_by=rng.choice(staff),
            audience=Audience.COMMUNITY,
            attendees=rng.randint(20, 150),
        )
    if partners and (day := _day(rng, first, today)):
        _record(
            actor,
            kind=ActivityKind.PARTNER_MEETING,
            topic=rng.choice(MEETINGS),
            held_on=day,
            hours=Decimal("1.5"),
            led_by=staff[0],
            partners=tuple(rng.sample(partners, min(3, len(partners)))),
        )
    if partners and (day := _day(rng, first, today)):
        _case_review(rng, actor, day, staff[0], partners)


def _case_review(rng, actor, day, lead, partners) -> None:
    present = tuple(rng.sample(partners, min(2, len(partners))))
    candidates = list(
        Case.objects.filter(agency=actor.agency, status__in=OPEN_STATUSES)
        .select_related("primary_victim")
        .order_by("pk")[:60]
    )
    covered = []
    for case in rng.sample(candidates, min(2, len(candidates))):
        try:
            for partner in present:
                release_record(
                    actor=actor,
                    case=case,
                    person=case.primary_victim,
                    recipient_organization=partner,
                    purposes=["service_coordination"],
                    categories=["identity", "case_facts"],
                    method="paper",
                    signed_on=day,
                    expires_on=day + timedelta(days=180),
                    informed_confirmed=True,
                )
            covered.append(case)
        except ValidationError:
            continue  # e.g. a minor: the demo does not invent a guardian
    _record(
        actor,
        kind=ActivityKind.CASE_REVIEW,
        topic="Monthly high-risk case review",
        held_on=day,
        hours=Decimal(2),
        led_by=lead,
        partners=present,
        cases=tuple(covered),
    )


def _record(actor, **fields) -> None:
    # A release the gate refused (a revoked one): the demo skips that review.
    with contextlib.suppress(ValidationError):
        services.activity_record(actor=actor, data=ActivityInput(**fields))


def _hours(rng, actor, member, today) -> None:
    cases = list(Case.objects.filter(agency=actor.agency).order_by("pk")[:40])
    for days_ago in range(MONTHS * 30, 0, -1):
        if rng.random() > 0.3:
            continue
        on_case = cases and rng.random() < 0.4
        services.volunteer_hours_record(
            actor=actor,
            member=member,
            worked_on=today - timedelta(days=days_ago),
            hours=Decimal(rng.choice(["2", "3", "4"])),
            case=rng.choice(cases) if on_case else None,
            what="Follow-up calls" if on_case else rng.choice(["Office", "Outreach event"]),
        )
