"""What every app's demo.py shares while one demo agency is loaded: the agency, its staff, the
one seeded Random all rows are drawn from, the clock, and the unit's office hours.

haven/demo/builder.py makes one DemoContext per agency and hands it to each app's demo
functions in a fixed order (haven/demo/steps.py); every random draw comes from `ctx.rng`, so
the same seed gives the same rows as long as the order of the steps stays the same.
"""

from __future__ import annotations

import random
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from typing import TYPE_CHECKING, Any

from haven.core.actor import Actor

if TYPE_CHECKING:
    from haven.agencies.models import Agency, District, Membership

LOADER_LABEL = "manage.py demo"
OPENS, CLOSES = clock(8, 30), clock(17)  # the unit's service hours, Monday to Friday


class DemoError(Exception):
    """The demo cannot be loaded as asked (the command turns it into a CommandError)."""


class Rows:
    """Rows made for one chunk of cases, by table, not yet inserted. ORDER is the insert
    order: each list only points at rows of the lists before it."""

    ORDER = (
        "persons",
        "points",
        "cases",
        "victimizations",
        "case_people",
        "assignments",
        "contacts",
        "notes",
        "tasks",
        "events",
        "services",
        "surveys",
    )

    def __init__(self) -> None:
        for name in self.ORDER:
            setattr(self, name, [])


@dataclass
class DemoContext:
    """One demo agency being loaded. `agency` and the staff fields are filled by
    haven/agencies/demo.py before any other app's demo runs."""

    profile: Any  # haven.agencies.demo.Profile
    seed: int
    now: datetime
    names: Any  # haven.people.demo.NamePools
    rng: random.Random = field(init=False)
    latest: datetime = field(init=False)
    tz: zoneinfo.ZoneInfo = field(init=False)
    counts: Counter = field(default_factory=Counter)
    timings: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    agency: Agency = field(init=False)
    districts: list[District] = field(default_factory=list)
    advocates: list[Membership] = field(default_factory=list)
    supervisor: Membership = field(init=False)
    coordinator: Membership = field(init=False)
    officers: list[Membership] = field(default_factory=list)
    by_district: dict[int, list[Membership]] = field(default_factory=lambda: defaultdict(list))
    # Values already handed out that must stay unique in the agency (report numbers).
    used: dict[str, set] = field(default_factory=lambda: defaultdict(set))

    def __post_init__(self) -> None:
        # Seeded by (seed, slug): an agency's data does not change when more are asked for.
        self.rng = random.Random(f"{self.seed}:{self.profile.slug}")
        self.latest = self.now - timedelta(minutes=1)
        self.tz = zoneinfo.ZoneInfo(self.profile.time_zone)

    @property
    def actor(self) -> Actor:
        """The system actor the demo writes through services as."""
        return Actor.system(self.agency, LOADER_LABEL)

    # Times ------------------------------------------------------------------------------

    def after(self, t: datetime, lo_minutes: float, hi_minutes: float) -> datetime:
        """A time a little after t, never in the future (nor before t)."""
        later = t + timedelta(minutes=self.rng.uniform(lo_minutes, hi_minutes))
        return max(t, min(later, self.latest))

    def in_office(self, t: datetime) -> bool:
        local = t.astimezone(self.tz)
        return local.weekday() < 5 and OPENS <= local.time() < CLOSES

    def office_time(self, t: datetime, *, limit: datetime) -> datetime:
        """t moved forward into the unit's service hours, unless that would pass `limit`."""
        if self.in_office(t):
            return t
        local = t.astimezone(self.tz)
        day = local.date()
        if local.weekday() >= 5 or local.time() >= CLOSES:
            day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        opening = datetime.combine(day, OPENS, tzinfo=self.tz)
        moved = (opening + timedelta(minutes=self.rng.uniform(0, 450))).astimezone(UTC)
        return moved if moved <= limit else t

    def spread(self, start: datetime, end: datetime, count: int) -> list[datetime]:
        """Up to count times between start and end, in service hours, in order."""
        if count <= 0 or end <= start:
            return []
        span = (end - start).total_seconds()
        times = (start + timedelta(seconds=self.rng.uniform(0, span)) for _ in range(count))
        moved = (self.office_time(t, limit=end) for t in times)
        return sorted(t for t in moved if self.in_office(t))
