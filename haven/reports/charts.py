"""Server-rendered inline SVG charts: no JavaScript, readable on a phone, each shown next to a
table of the same numbers (the table is the accessible version; the SVG is aria-hidden)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from haven.reports.suppression import Num

BAR = "#005ea2"
GOAL = "#d83933"
MUTED = "#a9aeb1"


def bars(rows: list[tuple[str, Num]], *, goal: float | None = None, unit: str = "") -> SafeString:
    """Horizontal bars, one per row, longest = full width; an optional goal line."""
    if not rows:
        return mark_safe("")
    values = [row[1].value or 0 for row in rows]
    top = max(values + [goal or 0]) or 1
    label_w, width, row_h = 150, 420, 22
    height = row_h * len(rows) + 6
    parts = [
        f'<svg class="haven-chart" viewBox="0 0 {label_w + width + 70} {height}" '
        f'width="100%" aria-hidden="true" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="12">'
    ]
    for i, (label, num) in enumerate(rows):
        y = 3 + i * row_h
        short = label if len(label) <= 22 else label[:21] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(short)}</text>'
        )
        length = width * (num.value or 0) / top
        color = MUTED if num.suppressed else BAR
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row_h - 6}" '
            f'fill="{color}"/>'
        )
        parts.append(
            f'<text x="{label_w + length + 4:.1f}" y="{y + 15}">{escape(num.text)}{unit}</text>'
        )
    if goal is not None:
        x = label_w + width * goal / top
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height}" stroke="{GOAL}" '
            f'stroke-dasharray="4 3" stroke-width="2"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 every text above went through escape()


def columns(
    rows: list[tuple[str, Num]], *, goal: float | None = None, maximum: float | None = None
) -> SafeString:
    """Vertical columns by month (a trend); an optional dashed goal line."""
    if not rows:
        return mark_safe("")
    values = [row[1].value or 0 for row in rows]
    top = maximum or max(values + [goal or 0]) or 1
    step, chart_h, base = 44, 120, 140
    width = step * len(rows) + 10
    parts = [
        f'<svg class="haven-chart" viewBox="0 0 {width} {base + 20}" width="100%" '
        f'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="11">'
    ]
    for i, (label, num) in enumerate(rows):
        x = 8 + i * step
        h = chart_h * (num.value or 0) / top
        color = MUTED if num.suppressed else BAR
        parts.append(
            f'<rect x="{x}" y="{base - h:.1f}" width="{step - 12}" height="{h:.1f}" '
            f'fill="{color}"/>'
        )
        parts.append(
            f'<text x="{x + (step - 12) / 2}" y="{base - h - 3:.1f}" text-anchor="middle">'
            f"{escape(num.text if num.value is not None else '')}</text>"
        )
        parts.append(
            f'<text x="{x + (step - 12) / 2}" y="{base + 14}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    if goal is not None:
        y = base - chart_h * goal / top
        parts.append(
            f'<line x1="0" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GOAL}" '
            f'stroke-dasharray="4 3" stroke-width="2"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 every text above went through escape()
