"""Service hours as people read them, in the page's language: consecutive days with the same
hours grouped ("Monday to Friday: 8:30 AM – 5:00 PM"). Pure functions."""

from datetime import time


def clock(t: time, fmt: str) -> str:
    if fmt == "12h":
        return f"{t.hour % 12 or 12}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"
    return f"{t.hour}:{t.minute:02d}"


def hour_lines(spans: dict[int, list[tuple[time, time]]], ui: dict) -> list[str]:
    """One line per run of consecutive weekdays (0 = Monday) with the same opening hours."""
    runs: list[tuple[int, int, tuple]] = []
    for day in range(7):
        day_spans = tuple(spans.get(day, ()))
        if not day_spans:
            continue
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == day_spans:
            runs[-1] = (runs[-1][0], day, day_spans)
        else:
            runs.append((day, day, day_spans))
    names, fmt = ui["weekdays"], ui["time_format"]
    lines = []
    for first, last, day_spans in runs:
        days = (
            names[first]
            if first == last
            else ui["day_range"].format(first=names[first], last=names[last])
        )
        times = ", ".join(f"{clock(a, fmt)} – {clock(b, fmt)}" for a, b in day_spans)
        lines.append(f"{days}: {times}")
    return lines
