"""When a written message may go out: the agency's quiet hours and the contact point's safe
window, both on the agency's wall clock. Pure functions, so they are easy to test."""

from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


def _inside(t: time, start: time, end: time) -> bool:
    """t in [start, end), where the window may wrap past midnight."""
    if start == end:
        return False
    if start < end:
        return start <= t < end
    return t >= start or t < end


def allowed_at(
    local: datetime,
    *,
    quiet_start: time | None,
    quiet_end: time | None,
    safe_from: time | None = None,
    safe_until: time | None = None,
) -> bool:
    t = local.time().replace(tzinfo=None)
    if quiet_start and quiet_end and _inside(t, quiet_start, quiet_end):
        return False
    return not (safe_from and safe_until and not _inside(t, safe_from, safe_until))


def next_allowed(
    now: datetime,
    tz: ZoneInfo,
    *,
    quiet_start: time | None,
    quiet_end: time | None,
    safe_from: time | None = None,
    safe_until: time | None = None,
) -> datetime:
    """`now` if a message may go out now, else the first moment it may (aware, UTC-comparable).

    If the contact point's safe window lies wholly inside the agency's quiet hours, the
    person's own safe window wins: they said when it is safe to reach them.
    """
    rules = dict(
        quiet_start=quiet_start, quiet_end=quiet_end, safe_from=safe_from, safe_until=safe_until
    )
    local = now.astimezone(tz)
    if allowed_at(local, **rules):
        return now
    candidates = []
    for days in range(3):
        day = (local + timedelta(days=days)).date()
        for start in (quiet_end, safe_from):
            if start is not None:
                moment = datetime.combine(day, start, tzinfo=tz)
                if moment > local and allowed_at(moment, **rules):
                    candidates.append(moment)
    if candidates:
        return min(candidates)
    if safe_from is not None:
        first = datetime.combine(local.date(), safe_from, tzinfo=tz)
        return first if first > local else first + timedelta(days=1)
    return now


# Pure and asked for every message the worker sends, with few distinct windows: remembered.
@lru_cache(maxsize=1024)
def ever_allowed(
    *,
    quiet_start: time | None,
    quiet_end: time | None,
    safe_from: time | None = None,
    safe_until: time | None = None,
) -> bool:
    """Is there any minute of the day a message may go out? False when the contact point's
    safe window lies wholly inside the agency's quiet hours: such a message would wait
    forever, so it becomes a call instead."""
    day = datetime(2000, 1, 1)
    rules = dict(
        quiet_start=quiet_start, quiet_end=quiet_end, safe_from=safe_from, safe_until=safe_until
    )
    return any(allowed_at(day + timedelta(minutes=m), **rules) for m in range(24 * 60))
