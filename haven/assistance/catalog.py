"""The OVC PMT service categories and sub-services, read from haven/reference/pmt.json
(`service_categories`), as the lookups the services, forms and reports need.

Codes ("C1") are stable keys stored on every ServiceProvided row: never reuse one for another
meaning. PMT asks, per category, how many individuals received a service and how many times
each sub-service was provided; a referral is a service of its own (A3, A4), not a flag on
another one, so Haven records no "direct or by referral" field.
"""

from dataclasses import dataclass
from functools import cache

from haven.lib.reference import load


@dataclass(frozen=True)
class SubService:
    code: str
    label: str
    category: str  # the category's code


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    sub_services: tuple[SubService, ...]


@cache
def categories() -> tuple[Category, ...]:
    """The five categories in the PMT's order, each with its sub-services in order."""
    return tuple(
        Category(
            code=code,
            label=label,
            sub_services=tuple(SubService(sub, sub_label, code) for sub, sub_label in subs),
        )
        for code, label, subs in load("pmt")["service_categories"]
    )


@cache
def _categories_by_code() -> dict[str, Category]:
    return {category.code: category for category in categories()}


@cache
def _sub_services_by_code() -> dict[str, SubService]:
    return {sub.code: sub for category in categories() for sub in category.sub_services}


def category(code: str) -> Category | None:
    return _categories_by_code().get(code)


def sub_service(code: str) -> SubService | None:
    return _sub_services_by_code().get(code)


def summary(code: str) -> str:
    """The category and the sub-service, for the timeline: "Emotional support or safety
    services: Crisis intervention (in-person, …)". Nothing about the person or the case."""
    sub = sub_service(code)
    if sub is None:
        return code
    return f"{category(sub.category).label}: {sub.label}"


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for a select with one group per category."""
    return [
        (f"{c.code}. {c.label}", [(s.code, f"{s.code} {s.label}") for s in c.sub_services])
        for c in categories()
    ]


# The one-tap buttons on the case page: what a police-based unit gives most, with a short name
# that fits a button on a phone (the full PMT label is the button's title and in the list).
QUICK = (
    ("C1", "Crisis intervention"),
    ("C3", "On-scene response"),
    ("A1", "Justice process info"),
    ("A2", "Victim rights info"),
    ("A3", "Referral: victim services"),
    ("A4", "Referral: other help"),
    ("B3", "Police interview support"),
    ("E10", "Court accompaniment"),
)
