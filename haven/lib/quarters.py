"""Federal fiscal-year quarters (October to September), as the OVC PMT and every grant report
count them: `Quarter.parse("2026Q3")` is April to June 2026."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

QUARTER_RE = re.compile(r"^(?:FY)?(\d{4})[-\s]?Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True)
class Quarter:
    fiscal_year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = QUARTER_RE.match((text or "").strip())
        if not match:
            raise ValidationError(
                f"{text!r} is not a quarter: write the federal fiscal year and quarter, "
                "e.g. 2026Q3 (April to June 2026)."
            )
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        fiscal_year = day.year + 1 if day.month >= 10 else day.year
        number = ((day.month - 10) % 12) // 3 + 1
        return cls(fiscal_year, number)

    @property
    def start(self) -> date:
        month = (10 + 3 * (self.number - 1) - 1) % 12 + 1
        year = self.fiscal_year - 1 if month >= 10 else self.fiscal_year
        return date(year, month, 1)

    @property
    def end(self) -> date:
        """The last day, included."""
        following = Quarter(self.fiscal_year + (self.number == 4), self.number % 4 + 1)
        return date.fromordinal(following.start.toordinal() - 1)

    @property
    def fiscal_year_start(self) -> date:
        return date(self.fiscal_year - 1, 10, 1)

    @property
    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.fiscal_year - 1, 4)
        return Quarter(self.fiscal_year, self.number - 1)

    def __str__(self) -> str:
        return f"{self.fiscal_year}Q{self.number}"

    @property
    def label(self) -> str:
        return (
            f"Federal fiscal year {self.fiscal_year}, quarter {self.number} "
            f"({self.start:%b} {self.start.day}, {self.start.year} – "
            f"{self.end:%b} {self.end.day}, {self.end.year})"
        )
