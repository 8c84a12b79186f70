"""What an import profile says: which column of an export holds what (profile.py loads it,
profile_parser.py reads the TOML)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"
FORMATS = ("csv", "jsonl")
DEFAULT = "*"  # the map key that catches every value not listed


class ProfileError(Exception):
    """The profile cannot be used as written; the message names the key to fix."""


@dataclass(frozen=True)
class Source:
    """Where one value comes from: a column, or several columns joined."""

    columns: tuple[str, ...]
    separator: str = ", "
    # Keys case-folded; None when the value is taken as exported. A target is one code or, for
    # race and ethnicity, a tuple of codes (the person is all of them).
    map: dict[str, str | tuple[str, ...]] | None = None
    map_name: str = ""
    blank: frozenset[str] = frozenset()  # case-folded values that mean "not given"
    # strptime formats, or "iso", for times and dates: tried in order, the first that fits wins.
    formats: tuple[str, ...] = ()
    time_column: str = ""  # a separate column holding the time of day
    time_formats: tuple[str, ...] = ()
    # The time of day a date-only value gets (the first-contact clock starts there): stated in
    # the profile whenever a format carries no time of day.
    default_time: time | None = None
    plain: bool = field(default=False, init=False)

    @property
    def label(self) -> str:
        return " + ".join(self.columns)

    @property
    def format(self) -> str:
        """The formats as a reader of an error message wants them."""
        return " or ".join(self.formats)

    def __post_init__(self):
        # One column taken as it is, read without joining, blanking or mapping: the fast path.
        object.__setattr__(
            self, "plain", len(self.columns) == 1 and self.map is None and not self.blank
        )


@dataclass(frozen=True)
class Test:
    """A yes/no read from one column (any listed test passing makes it yes)."""

    column: str
    values: frozenset[str] = frozenset()
    contains: tuple[str, ...] = ()
    unless_contains: tuple[str, ...] = ()
    present: bool = False
    present_except: frozenset[str] = frozenset()


@dataclass(frozen=True)
class OffenseSpec:
    code: Source
    description: Source | None = None
    nibrs: tuple[Source, ...] = ()
    each: str = ""


@dataclass(frozen=True)
class PeopleSpec:
    role: str = ""
    role_from: Source | None = None
    each: str = ""
    only_when: tuple[Test, ...] = ()
    # Any of these passing means the row's "victim" is not a person (a business, the state,
    # society): no person is read from the row.
    not_a_person: tuple[Test, ...] = ()
    # One person of this kind per report, however many rows the report has (an export with a
    # row per offense and no victim columns).
    once: bool = False
    sequence: Source | None = None
    first_name: Source | None = None
    last_name: Source | None = None
    full_name: Source | None = None
    name_order: str = "first last"
    date_of_birth: Source | None = None
    age: Source | None = None
    sex: Source | None = None
    race: Source | None = None
    ethnicity: Source | None = None
    phone: Source | None = None
    email: Source | None = None

    def sources(self) -> list[Source]:
        return [
            s
            for s in (
                self.role_from,
                self.sequence,
                self.first_name,
                self.last_name,
                self.full_name,
                self.date_of_birth,
                self.age,
                self.sex,
                self.race,
                self.ethnicity,
                self.phone,
                self.email,
            )
            if s is not None
        ]


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    format: str
    report_number: Source
    reported_at: Source | None
    occurred_at: Source | None
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    time_zone: str = ""  # "" = the agency's
    district: Source | None = None
    beat: Source | None = None
    location: Source | None = None
    # Where the investigation stands (mapped to InvestigationStatus) and who has it.
    investigation_status: Source | None = None
    detective: Source | None = None
    domestic_violence: tuple[Test, ...] = ()
    weapon: tuple[Test, ...] = ()
    firearm: tuple[Test, ...] = ()
    offenses: tuple[OffenseSpec, ...] = ()
    people: tuple[PeopleSpec, ...] = field(default=())

    def row_columns(self) -> set[str]:
        """Columns read from the row itself (not from a nested `each` list): the header must
        have every one of them."""
        sources = [
            self.report_number,
            self.reported_at,
            self.occurred_at,
            self.district,
            self.beat,
            self.location,
            self.investigation_status,
            self.detective,
        ]
        tests = [*self.domestic_violence, *self.weapon, *self.firearm]
        for spec in self.offenses:
            if not spec.each:
                sources += [spec.code, spec.description, *spec.nibrs]
        for spec in self.people:
            if not spec.each:
                sources += spec.sources()
                tests += spec.only_when + spec.not_a_person
        columns = {test.column for test in tests}
        for source in sources:
            if source is not None:
                columns.update(source.columns)
                if source.time_column:
                    columns.add(source.time_column)
        return columns
