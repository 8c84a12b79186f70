"""What an import did: its counts and bad rows, for the command, the task and the run's page."""

from __future__ import annotations

from dataclasses import dataclass, field

from haven.incidents.models import ImportRun

# ImportResult counters and the ImportRun columns that total them.
COUNTERS = {
    "rows": "rows_read",
    "bad_count": "rows_bad",
    "new": "incidents_new",
    "updated": "incidents_updated",
    "unchanged": "incidents_unchanged",
    "linked": "people_linked",
    "to_review": "people_to_review",
    "cases_opened": "cases_opened",
    "outreach_held": "outreach_held",
}


@dataclass
class BadRow:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportResult:
    profile: str
    dry_run: bool
    strict: bool
    run: ImportRun | None = None
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    bad_count: int = 0
    bad: list[BadRow] = field(default_factory=list)  # every refused row, in file order
    # Offense codes read without a NIBRS code: code -> [times read, description].
    unmapped: dict[str, list] = field(default_factory=dict)
    linked: int = 0
    to_review: int = 0
    # What the outreach rules did (outreach.decisions); a dry run counts the cases it would open.
    cases_opened: int = 0
    outreach_held: int = 0
    would_open: int = 0
    seconds: float = 0.0

    def add_bad(self, bad: list[BadRow]) -> None:
        self.bad_count += len(bad)
        self.bad.extend(bad)

    def unmapped_codes(self) -> list[dict]:
        """[{"code", "description", "count"}], the most read first."""
        return [
            {"code": code, "description": description, "count": count}
            for code, (count, description) in sorted(
                self.unmapped.items(), key=lambda item: (-item[1][0], item[0])
            )
        ]
