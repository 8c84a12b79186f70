"""Demo funding: the grants and funds of a police-based unit, each member's time split, two
emergency funds with deposits, and a handful of emergency assistance requests at every stage.
Made through funding's own services, after the bulk load (haven/demo/builder.py orders it).
No receipt files: the demo writes nothing under MEDIA_ROOT."""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.cases.models import OPEN_STATUSES, Case
from haven.core.actor import Actor
from haven.core.demo import DemoContext
from haven.funding.emergency import request_create, request_decide, request_disburse
from haven.funding.models import FundingSource
from haven.funding.services import fund_deposit, funding_source_save, time_split_set

# (name, kind, award number, award amount, default)
SOURCES = [
    ("VOCA victim assistance", "voca", "VOCA-{fy}-017", Decimal("412000"), True),
    ("VAWA STOP", "vawa_stop", "STOP-{fy}-044", Decimal("98000"), False),
    ("State victim services", "state", "SVS-{fy}-3", Decimal("60000"), False),
    ("City general fund", "local", "", None, False),
]
# How advocates' time is split, in turn: (source index, percent) lines.
ADVOCATE_SPLITS = [
    [(0, 75), (1, 25)],
    [(0, 100)],
    [(0, 50), (2, 50)],
    [(1, 60), (3, 40)],
]
# Emergency assistance on open cases: (purpose, amount, how far it went).
REQUESTS = [
    ("lodging", "189.00", "disbursed"),
    ("lock_change", "145.00", "disbursed"),
    ("transportation", "38.50", "disbursed"),
    ("food", "60.00", "disbursed"),
    ("lodging", "240.00", "approved"),
    ("transportation", "22.00", "requested"),
    ("other", "75.00", "requested"),
    ("lodging", "600.00", "declined"),
]


def _fiscal_year(today: date) -> int:
    return today.year + 1 if today.month >= 10 else today.year


def _sources(ctx: DemoContext, cora: Actor, today: date) -> list[FundingSource]:
    # Two-year awards (last fiscal year and this one), so the demo's year of services falls
    # inside them.
    fy = _fiscal_year(today)
    start, end = date(fy - 2, 10, 1), date(fy, 9, 30)
    return [
        funding_source_save(
            actor=cora,
            name=f"{name} FY{fy - 1}–{fy % 100}",
            kind=kind,
            award_number=number.format(fy=fy),
            period_start=start,
            period_end=end,
            amount=amount,
            is_default=default,
        )
        for name, kind, number, amount, default in SOURCES
    ]


def _splits(ctx: DemoContext, cora: Actor, sources: list[FundingSource]) -> None:
    start = sources[0].period_start
    for index, member in enumerate(ctx.advocates):
        lines = ADVOCATE_SPLITS[index % len(ADVOCATE_SPLITS)]
        time_split_set(
            actor=cora,
            member=member,
            effective_from=start,
            lines=[(sources[s], Decimal(p)) for s, p in lines],
        )
    # The supervisor moved to half VOCA when this fiscal year began.
    time_split_set(
        actor=cora,
        member=ctx.supervisor,
        effective_from=start,
        lines=[(sources[3], Decimal("100"))],
    )
    time_split_set(
        actor=cora,
        member=ctx.supervisor,
        effective_from=date(start.year + 1, 10, 1),
        lines=[(sources[0], Decimal("50")), (sources[3], Decimal("50"))],
    )


def seed_demo(ctx: DemoContext) -> None:
    """Sources, splits, two funds and eight requests for one demo agency."""
    agency = ctx.agency
    today = timezone.localtime(timezone.now(), agency.tz).date()
    cora = Actor.for_membership(ctx.coordinator)
    sam = Actor.for_membership(ctx.supervisor)
    sources = _sources(ctx, cora, today)
    _splits(ctx, cora, sources)
    funds = [
        fund_deposit(
            actor=cora, source=sources[0], amount=Decimal("2500"), deposited_on=today, note="Q1"
        ).fund,
        fund_deposit(
            actor=cora, source=sources[3], amount=Decimal("800"), deposited_on=today, note="City"
        ).fund,
    ]
    cases = list(
        Case.objects.filter(agency=agency, status__in=OPEN_STATUSES, assigned_to__isnull=False)
        .select_related("assigned_to", "agency")
        .order_by("pk")[:200]
    )
    if not cases:
        return
    for (purpose, amount, stage), case in zip(
        REQUESTS, ctx.rng.sample(cases, min(len(REQUESTS), len(cases))), strict=False
    ):
        asker = Actor.for_membership(case.assigned_to)
        found = request_create(
            actor=asker,
            case=case,
            fund=ctx.rng.choice(funds),
            purpose=purpose,
            amount=Decimal(amount),
        )
        decider = cora if case.assigned_to_id == ctx.supervisor.pk else sam
        if stage == "declined":
            request_decide(actor=decider, request=found, approve=False, note="Shelter bed found")
        elif stage != "requested":
            request_decide(actor=decider, request=found, approve=True)
        if stage == "disbursed":
            # A fund run dry leaves the request approved, as in life.
            with suppress(ValidationError):
                request_disburse(actor=decider, request=found)
        ctx.counts["emergency requests"] += 1
