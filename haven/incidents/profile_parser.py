"""Reading an import profile's TOML tables into a Profile (profile_spec.py), refusing anything
it does not know with a message naming the key to fix (docs/import-profiles.md)."""

from __future__ import annotations

import codecs
import csv
import zoneinfo
from datetime import time
from pathlib import Path

from haven.incidents.codes import nibrs_offenses
from haven.incidents.models import InvestigationStatus, PersonRole
from haven.incidents.profile_spec import (
    FORMATS,
    PROFILE_DIR,
    OffenseSpec,
    PeopleSpec,
    Profile,
    ProfileError,
    Source,
    Test,
)
from haven.lib.reference import choices

# The keys each table takes (docs/import-profiles.md).
PROFILE_KEYS = frozenset(
    ("name", "title", "source", "format", "encoding", "delimiter", "time_zone", "report",
     "offenses", "people", "maps")
)  # fmt: skip
REPORT_KEYS = frozenset(
    ("number", "reported_at", "occurred_at", "district", "beat", "location",
     "investigation_status", "detective", "domestic_violence", "weapon", "firearm")
)  # fmt: skip
PERSON_KEYS = frozenset(
    ("role", "each", "only_when", "not_a_person", "once", "sequence", "first_name", "last_name",
     "full_name", "name_order", "date_of_birth", "age", "sex", "race", "ethnicity", "phone",
     "email")
)  # fmt: skip
SOURCE_KEYS = frozenset(
    ("column", "columns", "separator", "map", "blank", "format", "time_column", "time_format",
     "default_time")
)  # fmt: skip

_GENDER = {code for code, _ in choices("pmt", "gender_identity")}
_RACE = {code for code, _ in choices("pmt", "race_ethnicity")}
_ROLES = set(PersonRole.values)
_INVESTIGATION = set(InvestigationStatus.values)
_TIME_DIRECTIVES = ("%H", "%I", "%X", "%T", "%R", "%c")


def parse_age_range(text: str) -> tuple[int, int | None] | None:
    """(low, high) for "18-24", "65+" (high None) or "<18"; None when it is not a range."""
    text = text.replace(" ", "")
    if text.endswith("+") and text[:-1].isdigit():
        return int(text[:-1]), None
    if text.startswith("<") and text[1:].isdigit() and int(text[1:]) > 0:
        return 0, int(text[1:]) - 1
    low, dash, high = text.partition("-")
    if dash and low.isdigit() and high.isdigit() and int(low) <= int(high):
        return int(low), int(high)
    return None


def has_time(fmt: str) -> bool:
    """Whether a format reads a time of day (not only a date)."""
    return fmt == "iso" or any(d in fmt for d in _TIME_DIRECTIVES)


class _Parser:
    """Turns the TOML tables into a Profile, refusing anything it does not know, and any value of
    the wrong type, with a message naming the key and what it takes."""

    def __init__(self, data: dict, default_name: str, *, folder: Path | None = None):
        self.data = data
        self.default_name = default_name
        self.folder = folder or PROFILE_DIR
        maps = data.get("maps", {})
        if not isinstance(maps, dict) or not all(isinstance(t, dict) for t in maps.values()):
            raise ProfileError('[maps] must be tables: [maps.NAME] with "export value" = "code".')
        self.maps = dict(maps)
        self._tables: dict[str, dict] = {}

    # --- typed reads: each names the key and what it takes ---------------------------------

    @staticmethod
    def _str(table: dict, key: str, where: str, default: str = "") -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise ProfileError(
                f'{where} {key} = {value!r}: give text in quotes, such as {key} = "...".'
            )
        return value

    @staticmethod
    def _strs(table: dict, key: str, where: str, *, numbers: bool = True) -> tuple[str, ...]:
        """A string or a list of strings (numbers are taken as their text where `numbers`)."""
        value = table.get(key, [])
        items = value if isinstance(value, list) else [value]
        kinds = str | int if numbers else str
        if not all(isinstance(v, kinds) and not isinstance(v, bool) for v in items):
            raise ProfileError(
                f'{where} {key} = {value!r}: give text or a list of texts, such as {key} = ["X"].'
            )
        return tuple(str(v) for v in items)

    @staticmethod
    def _bool(table: dict, key: str, where: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            raise ProfileError(f"{where} {key} = {value!r}: give true or false (no quotes).")
        return value

    # --- the profile -----------------------------------------------------------------------

    def profile(self) -> Profile:
        data = self.data
        self._only(data, "profile", PROFILE_KEYS)
        fmt, encoding, delimiter, time_zone = self._file_settings()
        report = data.get("report")
        if not isinstance(report, dict):
            raise ProfileError("The profile needs a [report] table (report number, times).")
        self._only(report, "[report]", REPORT_KEYS)
        if "number" not in report:
            raise ProfileError('[report] needs number = "<the report number column>".')
        if "reported_at" not in report and "occurred_at" not in report:
            raise ProfileError("[report] needs reported_at or occurred_at (or both).")
        offenses = data.get("offenses", [])
        people = data.get("people", [])
        if not isinstance(offenses, list) or not all(isinstance(o, dict) for o in offenses):
            raise ProfileError("Write each offense column set as an [[offenses]] table.")
        if not isinstance(people, list) or not all(isinstance(p, dict) for p in people):
            raise ProfileError("Write each kind of person as a [[people]] table.")
        return Profile(
            name=self._str(data, "name", "profile", self.default_name),
            title=self._str(data, "title", "profile"),
            format=fmt,
            encoding=encoding,
            delimiter=delimiter,
            time_zone=time_zone,
            **self._report(report),
            offenses=tuple(
                self.offense(spec, f"[[offenses]] #{i}", fmt) for i, spec in enumerate(offenses, 1)
            ),
            people=tuple(
                self.person(spec, f"[[people]] #{i}", fmt) for i, spec in enumerate(people, 1)
            ),
        )

    def _file_settings(self) -> tuple[str, str, str, str]:
        """The file's format, encoding, delimiter and time zone, each checked."""
        data = self.data
        fmt = self._str(data, "format", "profile", "csv")
        if fmt not in FORMATS:
            raise ProfileError(f"format = {fmt!r}: use one of {', '.join(FORMATS)}.")
        time_zone = self._str(data, "time_zone", "profile")
        if time_zone and time_zone not in zoneinfo.available_timezones():
            raise ProfileError(f"time_zone = {time_zone!r} is not a zone such as America/Chicago.")
        delimiter = self._str(data, "delimiter", "profile", ",")
        if len(delimiter) != 1:
            raise ProfileError('delimiter must be a single character, such as "," or "|".')
        encoding = self._str(data, "encoding", "profile", "utf-8-sig")
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ProfileError(
                f'encoding = {encoding!r} is not a text encoding: use one such as "utf-8" or '
                '"cp1252".'
            ) from None
        for key in ("name", "title", "source"):
            self._str(data, key, "profile")
        return fmt, encoding, delimiter, time_zone

    def _report(self, report: dict) -> dict:
        """The Profile fields read from the [report] table."""
        return dict(
            report_number=self.source(report["number"], "[report] number"),
            reported_at=self.time(report.get("reported_at"), "[report] reported_at"),
            occurred_at=self.time(report.get("occurred_at"), "[report] occurred_at"),
            district=self.source(report.get("district"), "[report] district"),
            beat=self.source(report.get("beat"), "[report] beat"),
            location=self.source(report.get("location"), "[report] location"),
            investigation_status=self.source(
                report.get("investigation_status"),
                "[report] investigation_status",
                allowed=_INVESTIGATION,
            ),
            detective=self.source(report.get("detective"), "[report] detective"),
            domestic_violence=self.tests(
                report.get("domestic_violence"), "[report] domestic_violence"
            ),
            weapon=self.tests(report.get("weapon"), "[report] weapon"),
            firearm=self.tests(report.get("firearm"), "[report] firearm"),
        )

    def offense(self, spec: dict, where: str, fmt: str) -> OffenseSpec:
        self._only(spec, where, {"code", "description", "nibrs", "each"})
        if "code" not in spec:
            raise ProfileError(f'{where} needs code = "<the offense code column>".')
        nibrs = spec.get("nibrs", [])
        nibrs = [nibrs] if isinstance(nibrs, str | dict) else nibrs
        if not isinstance(nibrs, list):
            raise ProfileError(
                f"{where} nibrs: give a column, a {{ column, map }} table, or a list of them."
            )
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
        self._only(spec, where, PERSON_KEYS)
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
            not_a_person=self.tests(spec.get("not_a_person"), f"{where} not_a_person"),
            once=self._bool(spec, "once", where),
            sequence=self.source(spec.get("sequence"), f"{where} sequence"),
            first_name=self.source(spec.get("first_name"), f"{where} first_name"),
            last_name=self.source(spec.get("last_name"), f"{where} last_name"),
            full_name=self.source(spec.get("full_name"), f"{where} full_name"),
            name_order=name_order,
            date_of_birth=self.time(
                spec.get("date_of_birth"), f"{where} date_of_birth", day_only=True
            ),
            age=self.source(spec.get("age"), f"{where} age", age=True),
            sex=self.source(spec.get("sex"), f"{where} sex", allowed=_GENDER),
            race=self.source(spec.get("race"), f"{where} race", allowed=_RACE, several=True),
            ethnicity=self.source(
                spec.get("ethnicity"), f"{where} ethnicity", allowed=_RACE | {""}, several=True
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
        age: bool = False,
        several: bool = False,
    ) -> Source | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = {"column": value}
        elif isinstance(value, list):
            value = {"columns": value}
        if not isinstance(value, dict):
            raise ProfileError(
                f"{where} = {value!r}: give a column name, a list of them, or a table such as "
                '{ column = "..." }.'
            )
        self._only(value, where, SOURCE_KEYS)
        columns = value.get("columns") or ([value["column"]] if "column" in value else [])
        if (
            not columns
            or not isinstance(columns, list)
            or not all(isinstance(c, str) and c for c in columns)
        ):
            raise ProfileError(f'{where}: name the column (column = "...").')
        mapping, map_name = self._map(value.get("map"), where)
        if mapping is not None:
            for key, target in mapping.items():
                self._check_target(map_name, key, target, where, allowed, age, several)
        elif allowed is not None:
            raise ProfileError(f'{where} needs a map = "..." to Haven\'s codes.')
        default_time = None
        if "default_time" in value:
            text = self._str(value, "default_time", where)
            try:
                default_time = time.fromisoformat(text)
            except ValueError:
                raise ProfileError(
                    f'{where} default_time = {text!r}: give a time of day such as "00:00" or '
                    '"12:00".'
                ) from None
        return Source(
            columns=tuple(c.strip() for c in columns),
            separator=self._str(value, "separator", where, ", "),
            map=mapping,
            map_name=map_name,
            blank=frozenset(b.strip().casefold() for b in self._strs(value, "blank", where)),
            formats=self._strs(value, "format", where, numbers=False),
            time_column=self._str(value, "time_column", where).strip(),
            time_formats=self._strs(value, "time_format", where, numbers=False),
            default_time=default_time,
        )

    @staticmethod
    def _check_target(map_name, key, target, where, allowed, age, several) -> None:
        if isinstance(target, tuple):
            if not several:
                raise ProfileError(
                    f"[maps.{map_name}] {key!r} = {list(target)!r}: {where} takes one code, "
                    "not a list."
                )
            targets = target
        else:
            targets = (target,)
        for one in targets:
            if allowed is not None and one not in allowed:
                raise ProfileError(
                    f"[maps.{map_name}] {key!r} = {one!r}: {where} takes one of "
                    f"{', '.join(sorted(c for c in allowed if c))}"
                    + (" (or a list of them)." if several else ".")
                )
            if age and one and not one.isdigit() and parse_age_range(one) is None:
                raise ProfileError(
                    f'[maps.{map_name}] {key!r} = {one!r}: give an age in years ("34"), a '
                    'range ("18-24", "65+", "<18"), or "" for unknown.'
                )

    def time(self, value, where: str, *, day_only: bool = False) -> Source | None:
        source = self.source(value, where)
        if source is None:
            return None
        if not source.formats:
            raise ProfileError(
                f'{where} needs a format, such as "%m/%d/%Y %I:%M:%S %p" or "iso" (or a list of '
                "them, tried in order)."
            )
        if day_only:
            return source
        if source.time_column and not source.time_formats:
            raise ProfileError(f'{where} has a time_column: give its time_format too ("%H%M").')
        if source.default_time is None:
            dateless = [f for f in source.formats if not has_time(f)]
            if dateless:
                raise ProfileError(
                    f"{where}: the format {dateless[0]!r} has no time of day. Say what time a "
                    'date-only value gets with default_time = "00:00" (or "12:00"): the '
                    "first-contact clock starts there."
                )
        return source

    def tests(self, value, where: str) -> tuple[Test, ...]:
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        tests = []
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("column"), str):
                raise ProfileError(f'{where}: give {{ column = "...", values = [...] }}.')
            self._only(
                item,
                where,
                {"column", "values", "contains", "unless_contains", "present", "present_except"},
            )
            test = Test(
                column=item["column"].strip(),
                values=frozenset(v.strip().casefold() for v in self._strs(item, "values", where)),
                contains=tuple(v.casefold() for v in self._strs(item, "contains", where)),
                unless_contains=tuple(
                    v.casefold() for v in self._strs(item, "unless_contains", where)
                ),
                present=self._bool(item, "present", where),
                present_except=frozenset(
                    v.strip().casefold() for v in self._strs(item, "present_except", where)
                ),
            )
            if not (test.values or test.contains or test.present):
                raise ProfileError(
                    f"{where}: say what counts as yes (values, contains or present)."
                )
            tests.append(test)
        return tuple(tests)

    def _map(self, value, where: str) -> tuple[dict | None, str]:
        if value is None:
            return None, ""
        if isinstance(value, str):
            if value not in self.maps:
                raise ProfileError(f"{where} uses map {value!r}, but there is no [maps.{value}].")
            return self._table(value), value
        if isinstance(value, dict):  # written in place: map = { "M" = "male" }
            self.maps[where] = value
            return self._table(where), where
        raise ProfileError(
            f'{where} map = {value!r}: give the name of a [maps.NAME] table, such as map = "sex".'
        )

    def _table(self, name: str) -> dict:
        """[maps.NAME] with its keys case-folded; a code listed twice is refused. A table may
        come from a CSV file (file = "codes.csv", two columns: the export's value and the code),
        next to the profile: department code lists run to hundreds of lines."""
        if name in self._tables:
            return self._tables[name]
        raw = dict(self.maps[name])
        out: dict[str, str | tuple[str, ...]] = {}
        origin: dict[str, str] = {}
        if "file" in raw:
            path = raw.pop("file")
            if not isinstance(path, str):
                raise ProfileError(f"[maps.{name}] file = {path!r}: give a path in quotes.")
            for key, target, place in self._table_file(name, path):
                self._put(out, origin, name, key, target, place)
        for key, target in raw.items():
            if isinstance(target, list) and target and all(isinstance(t, str) for t in target):
                target = tuple(target)
            elif isinstance(target, int) and not isinstance(target, bool):
                target = str(target)
            elif not isinstance(target, str):
                raise ProfileError(
                    f'[maps.{name}] {key!r} = {target!r}: give a code in quotes ("13B"), or a '
                    "list of codes where the field takes several."
                )
            self._put(out, origin, name, str(key), target, f"[maps.{name}] {key!r}")
        self._tables[name] = out
        return out

    @staticmethod
    def _put(out, origin, name, key, target, place) -> None:
        folded = key.strip().casefold()
        if folded in out and out[folded] != target:
            raise ProfileError(
                f"{place}: the code {key.strip()!r} is already mapped by {origin[folded]} "
                f"(to {out[folded]!r}): list each code once in [maps.{name}]."
            )
        out[folded] = target
        origin.setdefault(folded, place)

    def _table_file(self, name: str, path: str):
        full = (self.folder / path).resolve()
        try:
            with open(full, encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.reader(handle))
        except OSError as exc:
            raise ProfileError(f"[maps.{name}] file = {path!r}: {exc.strerror}.") from None
        except UnicodeDecodeError:
            raise ProfileError(f"[maps.{name}] file = {path!r}: save it as UTF-8.") from None
        for line, row in enumerate(rows, 1):
            if not row or (line == 1 and row[0].strip().casefold() in ("code", "value")):
                continue  # blank lines and a header line
            if len(row) < 2:
                raise ProfileError(
                    f"{path}, line {line}: give two columns, the export's value and the code."
                )
            target = row[1].strip()
            yield (
                row[0],
                (tuple(t.strip() for t in target.split("|")) if "|" in target else target),
                f"{path}, line {line}",
            )

    def _each(self, spec: dict, where: str, fmt: str) -> str:
        each = self._str(spec, "each", where)
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
