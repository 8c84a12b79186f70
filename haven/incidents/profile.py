"""Import profiles: small TOML files that say which column of an export holds what.

Every key is described in docs/import-profiles.md. A profile is checked whole when it is loaded,
so a typo in a key, a map or a code stops the import before the first row, naming the key.
"""

from __future__ import annotations

import tomllib
import zoneinfo
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from haven.incidents.codes import nibrs_offenses
from haven.incidents.models import PersonRole
from haven.lib.reference import choices

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
    # Keys case-folded; None when the value is taken as exported.
    map: dict[str, str] | None = None
    map_name: str = ""
    blank: frozenset[str] = frozenset()  # case-folded values that mean "not given"
    format: str = ""  # strptime format, or "iso", for times and dates
    time_column: str = ""  # a separate column holding the time of day
    time_format: str = ""
    plain: bool = field(default=False, init=False)

    @property
    def label(self) -> str:
        return " + ".join(self.columns)

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
        ]
        tests = [*self.domestic_violence, *self.weapon, *self.firearm]
        for spec in self.offenses:
            if not spec.each:
                sources += [spec.code, spec.description, *spec.nibrs]
        for spec in self.people:
            if not spec.each:
                sources += spec.sources()
                tests += spec.only_when
        columns = {test.column for test in tests}
        for source in sources:
            if source is not None:
                columns.update(source.columns)
                if source.time_column:
                    columns.add(source.time_column)
        return columns


def available_profiles() -> list[str]:
    return sorted(path.stem for path in PROFILE_DIR.glob("*.toml"))


def load_profile(name_or_path: str) -> Profile:
    """A shipped profile by name ("chicago"), or a department's own file by its path."""
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = PROFILE_DIR / f"{name_or_path}.toml"
        if not path.is_file():
            raise ProfileError(
                f"No import profile named {name_or_path!r}. Shipped profiles: "
                f"{', '.join(available_profiles())}; or give the path of your own .toml file."
            )
    return _load(str(path.resolve()))


@cache
def _load(path: str) -> Profile:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ProfileError(f"Cannot read the profile {path}: {exc.strerror}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"The profile {path} is not valid TOML: {exc}.") from None
    return _Parser(data, Path(path).stem).profile()


_GENDER = {code for code, _ in choices("pmt", "gender_identity")}
_RACE = {code for code, _ in choices("pmt", "race_ethnicity")}
_ROLES = set(PersonRole.values)


class _Parser:
    """Turns the TOML tables into a Profile, refusing anything it does not know."""

    def __init__(self, data: dict, default_name: str):
        self.data = data
        self.default_name = default_name
        self.maps = data.get("maps", {})
        if not isinstance(self.maps, dict):
            raise ProfileError("[maps] must be a table of tables.")

    def profile(self) -> Profile:
        data = self.data
        self._only(
            data,
            "profile",
            {
                "name",
                "title",
                "source",
                "format",
                "encoding",
                "delimiter",
                "time_zone",
                "report",
                "offenses",
                "people",
                "maps",
            },
        )
        fmt = data.get("format", "csv")
        if fmt not in FORMATS:
            raise ProfileError(f"format = {fmt!r}: use one of {', '.join(FORMATS)}.")
        time_zone = data.get("time_zone", "")
        if time_zone and time_zone not in zoneinfo.available_timezones():
            raise ProfileError(f"time_zone = {time_zone!r} is not a zone such as America/Chicago.")
        delimiter = data.get("delimiter", ",")
        if len(delimiter) != 1:
            raise ProfileError('delimiter must be a single character, such as "," or "|".')
        report = data.get("report")
        if not isinstance(report, dict):
            raise ProfileError("The profile needs a [report] table (report number, times).")
        self._only(
            report,
            "[report]",
            {
                "number",
                "reported_at",
                "occurred_at",
                "district",
                "beat",
                "location",
                "domestic_violence",
                "weapon",
                "firearm",
            },
        )
        if "number" not in report:
            raise ProfileError('[report] needs number = "<the report number column>".')
        if "reported_at" not in report and "occurred_at" not in report:
            raise ProfileError("[report] needs reported_at or occurred_at (or both).")
        offenses = data.get("offenses", [])
        people = data.get("people", [])
        if not isinstance(offenses, list) or not isinstance(people, list):
            raise ProfileError("Write offenses and people as [[offenses]] and [[people]] tables.")
        return Profile(
            name=data.get("name", self.default_name),
            title=data.get("title", ""),
            format=fmt,
            encoding=data.get("encoding", "utf-8-sig"),
            delimiter=delimiter,
            time_zone=time_zone,
            report_number=self.source(report["number"], "[report] number"),
            reported_at=self.time(report.get("reported_at"), "[report] reported_at"),
            occurred_at=self.time(report.get("occurred_at"), "[report] occurred_at"),
            district=self.source(report.get("district"), "[report] district"),
            beat=self.source(report.get("beat"), "[report] beat"),
            location=self.source(report.get("location"), "[report] location"),
            domestic_violence=self.tests(
                report.get("domestic_violence"), "[report] domestic_violence"
            ),
            weapon=self.tests(report.get("weapon"), "[report] weapon"),
            firearm=self.tests(report.get("firearm"), "[report] firearm"),
            offenses=tuple(
                self.offense(spec, f"[[offenses]] #{i}", fmt) for i, spec in enumerate(offenses, 1)
            ),
            people=tuple(
                self.person(spec, f"[[people]] #{i}", fmt) for i, spec in enumerate(people, 1)
            ),
        )

    def offense(self, spec: dict, where: str, fmt: str) -> OffenseSpec:
        self._only(spec, where, {"code", "description", "nibrs", "each"})
        if "code" not in spec:
            raise ProfileError(f'{where} needs code = "<the offense code column>".')
        nibrs = spec.get("nibrs", [])
        nibrs = [nibrs] if isinstance(nibrs, str | dict) else nibrs
        sources = tuple(self.source(s, f"{where} nibrs") for s in nibrs)
        known = set(nibrs_offenses())
        for source in sources:
            for key, code in (source.map or {}).items():
                if code and code not in known:
                    raise ProfileError(
                        f"[maps.{source.map_name}] {key!r} = {code!r} is not a NIBRS offense code "
                        "(see haven/incidents/reference/nibrs.json)."
                    )
        return OffenseSpec(
            code=self.source(spec["code"], f"{where} code"),
            description=self.source(spec.get("description"), f"{where} description"),
            nibrs=sources,
            each=self._each(spec, where, fmt),
        )

    def person(self, spec: dict, where: str, fmt: str) -> PeopleSpec:
        self._only(
            spec,
            where,
            {
                "role",
                "each",
                "only_when",
                "sequence",
                "first_name",
                "last_name",
                "full_name",
                "name_order",
                "date_of_birth",
                "age",
                "sex",
                "race",
                "ethnicity",
                "phone",
                "email",
            },
        )
        role = spec.get("role")
        role_fixed, role_from = "", None
        if isinstance(role, str) and role in _ROLES:
            role_fixed = role
        elif isinstance(role, dict):
            role_from = self.source(role, f"{where} role", allowed=_ROLES)
        else:
            raise ProfileError(
                f"{where} role: give one of {', '.join(sorted(_ROLES))}, "
                'or { column = "...", map = "..." } mapping to them.'
            )
        name_order = spec.get("name_order", "first last")
        if name_order not in ("first last", "last, first"):
            raise ProfileError(f'{where} name_order: use "first last" or "last, first".')
        if "full_name" in spec and ("first_name" in spec or "last_name" in spec):
            raise ProfileError(f"{where}: give full_name, or first_name and last_name, not both.")
        return PeopleSpec(
            role=role_fixed,
            role_from=role_from,
            each=self._each(spec, where, fmt),
            only_when=self.tests(spec.get("only_when"), f"{where} only_when"),
            sequence=self.source(spec.get("sequence"), f"{where} sequence"),
            first_name=self.source(spec.get("first_name"), f"{where} first_name"),
            last_name=self.source(spec.get("last_name"), f"{where} last_name"),
            full_name=self.source(spec.get("full_name"), f"{where} full_name"),
            name_order=name_order,
            date_of_birth=self.time(spec.get("date_of_birth"), f"{where} date_of_birth"),
            age=self.source(spec.get("age"), f"{where} age", digits=True),
            sex=self.source(spec.get("sex"), f"{where} sex", allowed=_GENDER),
            race=self.source(spec.get("race"), f"{where} race", allowed=_RACE),
            ethnicity=self.source(
                spec.get("ethnicity"), f"{where} ethnicity", allowed=_RACE | {""}
            ),
            phone=self.source(spec.get("phone"), f"{where} phone"),
            email=self.source(spec.get("email"), f"{where} email"),
        )

    def source(
        self,
        value,
        where: str,
        *,
        allowed: set[str] | None = None,
        digits: bool = False,
    ) -> Source | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = {"column": value}
        elif isinstance(value, list):
            value = {"columns": value}
        if not isinstance(value, dict):
            raise ProfileError(f"{where}: give a column name, a list of them, or a table.")
        self._only(
            value,
            where,
            {
                "column",
                "columns",
                "separator",
                "map",
                "blank",
                "format",
                "time_column",
                "time_format",
            },
        )
        columns = value.get("columns") or ([value["column"]] if "column" in value else [])
        if not columns or not all(isinstance(c, str) and c for c in columns):
            raise ProfileError(f'{where}: name the column (column = "...").')
        mapping, map_name = self._map(value.get("map"), where)
        if mapping is not None:
            for key, target in mapping.items():
                if allowed is not None and target not in allowed:
                    raise ProfileError(
                        f"[maps.{map_name}] {key!r} = {target!r}: {where} takes one of "
                        f"{', '.join(sorted(c for c in allowed if c))}."
                    )
                if digits and target and not target.isdigit():
                    raise ProfileError(f"[maps.{map_name}] {key!r} = {target!r}: give an age.")
        elif allowed is not None:
            raise ProfileError(f'{where} needs a map = "..." to Haven\'s codes.')
        return Source(
            columns=tuple(c.strip() for c in columns),
            separator=value.get("separator", ", "),
            map=mapping,
            map_name=map_name,
            blank=frozenset(str(b).strip().casefold() for b in value.get("blank", [])),
            format=value.get("format", ""),
            time_column=value.get("time_column", ""),
            time_format=value.get("time_format", ""),
        )

    def time(self, value, where: str) -> Source | None:
        source = self.source(value, where)
        if source is not None and not source.format:
            raise ProfileError(f'{where} needs a format, such as "%m/%d/%Y %I:%M:%S %p" or "iso".')
        if source is not None and source.time_column and not source.time_format:
            raise ProfileError(f'{where} has a time_column: give its time_format too ("%H%M").')
        return source

    def tests(self, value, where: str) -> tuple[Test, ...]:
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        tests = []
        for item in items:
            if not isinstance(item, dict) or "column" not in item:
                raise ProfileError(f'{where}: give {{ column = "...", values = [...] }}.')
            self._only(
                item,
                where,
                {"column", "values", "contains", "unless_contains", "present", "present_except"},
            )
            test = Test(
                column=item["column"].strip(),
                values=frozenset(str(v).strip().casefold() for v in item.get("values", [])),
                contains=tuple(str(v).casefold() for v in item.get("contains", [])),
                unless_contains=tuple(str(v).casefold() for v in item.get("unless_contains", [])),
                present=bool(item.get("present", False)),
                present_except=frozenset(
                    str(v).strip().casefold() for v in item.get("present_except", [])
                ),
            )
            if not (test.values or test.contains or test.present):
                raise ProfileError(
                    f"{where}: say what counts as yes (values, contains or present)."
                )
            tests.append(test)
        return tuple(tests)

    def _map(self, value, where: str) -> tuple[dict[str, str] | None, str]:
        if value is None:
            return None, ""
        if isinstance(value, str):
            if value not in self.maps:
                raise ProfileError(f"{where} uses map {value!r}, but there is no [maps.{value}].")
            name, table = value, self.maps[value]
        elif isinstance(value, dict):
            name, table = where, value
        else:
            raise ProfileError(f"{where} map: give the name of a [maps.NAME] table.")
        if not isinstance(table, dict):
            raise ProfileError(f'[maps.{name}] must be a table of "export value" = "code".')
        return {str(k).strip().casefold(): str(v) for k, v in table.items()}, name

    def _each(self, spec: dict, where: str, fmt: str) -> str:
        each = spec.get("each", "")
        if each and fmt != "jsonl":
            raise ProfileError(f"{where} each: only a JSON-lines export has nested lists.")
        return each

    @staticmethod
    def _only(table: dict, where: str, known: set[str]) -> None:
        unknown = sorted(set(table) - known)
        if unknown:
            raise ProfileError(
                f"{where}: unknown key {unknown[0]!r}; known keys: {', '.join(sorted(known))}."
            )
