"""An exported report as plain data (no models): what the mapper reads from the rows, the
importer compares with what is stored, and the outreach rules look at in a dry run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from haven.lib.crypto import blind_index


@dataclass
class OffenseRecord:
    code: str
    description: str = ""
    nibrs_code: str = ""


@dataclass
class PersonRecord:
    role: str
    sequence: int | None = None
    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None
    age: int | None = None
    # The PMT age band when the export gives an age range instead of an age ("18-24"); "unknown"
    # where the range crosses a band; "" when there is an age (or nothing).
    age_band: str = ""
    sex: str = "not_reported"
    race_ethnicity: str = "not_reported"
    phone: str = ""
    email: str = ""
    position: int = 0
    # Filled in by the importer and the matcher, not read from the export.
    incident_id: int | None = None
    person_id: int | None = None
    link_source: str = ""

    @property
    def is_named(self) -> bool:
        return bool(self.first_name and self.last_name)


@dataclass
class ReportRecord:
    report_number: str
    line: int
    reported_at: datetime
    occurred_at: datetime | None = None
    district_code: str = ""
    beat: str = ""
    location: str = ""
    exported_status: str = ""  # an InvestigationStatus value
    exported_detective: str = ""
    domestic_violence: bool = False
    weapon: bool = False
    firearm: bool = False
    offenses: list[OffenseRecord] = field(default_factory=list)
    people: list[PersonRecord] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def absorb(self, other: ReportRecord) -> None:
        """Add another row of the same report (a homicide with several victims, a NIBRS export
        with a row per offense)."""
        self.lines.append(other.line)
        self.occurred_at = self.occurred_at or other.occurred_at
        self.district_code = self.district_code or other.district_code
        self.beat = self.beat or other.beat
        self.location = self.location or other.location
        self.exported_status = self.exported_status or other.exported_status
        self.exported_detective = self.exported_detective or other.exported_detective
        self.domestic_violence |= other.domestic_violence
        self.weapon |= other.weapon
        self.firearm |= other.firearm
        self.offenses += other.offenses
        self.people += other.people

    def finish(self) -> None:
        """Drop repeated offenses and people, and number the people."""
        offenses: dict[str, OffenseRecord] = {}
        for offense in self.offenses:
            kept = offenses.setdefault(offense.code, offense)
            kept.description = kept.description or offense.description
            kept.nibrs_code = kept.nibrs_code or offense.nibrs_code
        self.offenses = list(offenses.values())
        people: list[PersonRecord] = []
        by_sequence: dict[tuple[str, int], PersonRecord] = {}
        for person in self.people:
            if person.sequence is None:
                people.append(person)
            elif (person.role, person.sequence) not in by_sequence:
                # the same victim repeated on each offense's row
                by_sequence[person.role, person.sequence] = person
                people.append(person)
        used = set(by_sequence)
        next_free: dict[str, int] = {}
        for person in people:
            if person.sequence is not None:
                person.position = person.sequence
                continue
            position = next_free.get(person.role, 1)
            while (person.role, position) in used:
                position += 1
            person.position = position
            used.add((person.role, position))
            next_free[person.role] = position + 1
        self.people = people

    def digest(self) -> str:
        """Keyed, so the digest of a row holding a phone number cannot be guessed from it."""
        reported = _stamp(self.reported_at)
        # Most exports give one time, which stands for both.
        occurred = reported if self.occurred_at is self.reported_at else _stamp(self.occurred_at)
        parts = [
            self.report_number,
            reported,
            occurred,
            self.district_code,
            self.beat,
            self.location,
            self.exported_status,
            self.exported_detective,
            self.domestic_violence,
            self.weapon,
            self.firearm,
            [(o.code, o.description, o.nibrs_code) for o in self.offenses],
            [
                (
                    p.role,
                    p.position,
                    p.first_name,
                    p.last_name,
                    p.date_of_birth and p.date_of_birth.isoformat(),
                    p.age,
                    p.sex,
                    p.race_ethnicity,
                    p.phone,
                    p.email,
                )
                # Only where there is one, so digests from before age bands stay equal.
                + ((p.age_band,) if p.age_band else ())
                for p in self.people
            ],
        ]
        # repr of str, number, bool and None is stable and cheaper than JSON, 5 µs a report.
        return blind_index("incident", repr(parts))


def _stamp(value: datetime | None) -> float | None:
    return value.timestamp() if value else None
