"""The browser's choice among the languages a page is written in (Accept-Language), for the
pages people without an account open: the help page, the partner's referral page."""

from __future__ import annotations

from collections.abc import Iterable


def negotiate(accept_language: str, codes: Iterable[str], fallback: str = "en") -> str:
    """The first of `codes` the browser asks for (Accept-Language, by weight), or `fallback`.
    Any Chinese gets "zh-hans" when the page has it (the only Chinese Haven writes)."""
    codes = tuple(codes)
    wanted = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        if tag and weight > 0:
            wanted.append((-weight, position, tag.strip().lower()))
    for _, _, tag in sorted(wanted):
        primary = tag.split("-")[0]
        if tag in codes:
            return tag
        if primary == "zh" and "zh-hans" in codes:
            return "zh-hans"
        if primary in codes:
            return primary
    return fallback
