"""Demo on-call roster: a weekly pattern that covers every hour of every day (a day slot and a
night slot, the specialists taking turns), so /on-call/now/ names someone at any hour of any
week the demo is shown in; over the next weeks, a few shifts where someone swapped in and a
unit training day with its cover. Written through the oncall services as the system actor."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from haven.core.demo import DemoContext
from haven.oncall.roster import instant
from haven.oncall.services import holiday_add, oncall_settings_set, pattern_slot_add, shift_add

DAY, NIGHT = time(8, 0), time(20, 0)  # the day slot runs 08:00-20:00, the night slot on to 08:00
SWAPS = 3  # one-off shifts over the next weeks, one a week
TRAINING_IN_DAYS = 10


def oncall_roster_seed(ctx: DemoContext) -> None:
    actor = ctx.actor
    team = [*ctx.advocates, ctx.supervisor]
    hotline = f"+1{ctx.profile.area_codes[0]}5550199"  # 555-01xx: a number set aside for fiction
    oncall_settings_set(actor=actor, coverage="always", hotline=hotline)
    for weekday in range(7):
        day_member = team[(2 * weekday) % len(team)]
        night_member = team[(2 * weekday + 1) % len(team)]
        pattern_slot_add(actor=actor, weekday=weekday, starts=DAY, ends=NIGHT, member=day_member)
        pattern_slot_add(actor=actor, weekday=weekday, starts=NIGHT, ends=DAY, member=night_member)
    today = ctx.now.astimezone(ctx.tz).date()
    for week in range(1, SWAPS + 1):
        day = today + timedelta(days=7 * week - 4)
        starts: datetime = instant(day, NIGHT, ctx.tz)
        shift_add(
            actor=actor,
            member=ctx.rng.choice(team),
            starts_at=starts,
            ends_at=starts + timedelta(hours=12),
            note="Swapped nights with a colleague.",
        )
    holiday_add(
        actor=actor,
        day=today + timedelta(days=TRAINING_IN_DAYS),
        name="Unit training day",
        member=ctx.supervisor,
    )
