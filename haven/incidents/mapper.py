"""Turning one exported row into a report record, as its profile says.

A record is plain data (no models): the importer compares it with what is stored and writes
only what changed. Error messages name columns and formats, never a person's name, phone or
email, because they are printed and kept with the import run.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.incidents import timeparse
from haven.incidents.codes import nibrs_offenses
from haven.incidents.profile import (
    DEFAULT,
    PeopleSpec,
    Profile,
    Source,
    Test,
    has_time,
    parse_age_range,
)
from haven.incidents.reader import RowError
from haven.incidents.records import OffenseRecord, PersonRecord, ReportRecord
from haven.lib.phones import normalize_phone
from haven.lib.reference import age_band

UNKNOWN_BAND = "unknown"

REPORT_NUMBER_MAX = 40
CODE_MAX = 20
TEXT_MAX = 200
DETECTIVE_MAX = 100
NAME_MAX = 100
MAX_AGE = 125
# A report time this far ahead of the clock is a misread date (day and month swapped), not a
# clock that runs a little fast.
FUTURE_SLACK = timedelta(days=1)
# Distinct offenses (as the cells read) whose reading is kept; more than that starts afresh.
OFFENSES_KEPT = 5000
_STR = {str}

__all__ = ["DETECTIVE_MAX", "Mapper", "OffenseRecord", "PersonRecord", "ReportRecord", "cell"]


def cell(values: dict, column: str) -> str:
    value = values.get(column)
    if value.__class__ is str:  # every CSV cell: the common case first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class Mapper:
    def __init__(
        self, profile: Profile, tz: zoneinfo.ZoneInfo, unmapped: dict[str, list] | None = None
    ):
        self.profile = profile
        # Department offense codes read without a NIBRS code: code -> [times, description].
        self.unmapped = unmapped if unmapped is not None else {}
        self.tz = zoneinfo.ZoneInfo(profile.time_zone) if profile.time_zone else tz
        self.nibrs_codes = set(nibrs_offenses())
        self._offenses: dict[tuple, tuple] = {}
        self._spec_columns: dict[int, tuple[str, ...]] = {}
        self.now = timezone.now()
        self.latest = self.now + FUTURE_SLACK  # a report time past this is refused

    def record(self, values: dict, line: int) -> ReportRecord:
        """The report one row describes, or a RowError saying what is wrong with it."""
        p = self.profile
        number = self.text(p.report_number, values)
        if not number:
            raise RowError(f"{p.report_number.label} is empty: every row needs a report number.")
        self._fits(number, REPORT_NUMBER_MAX, p.report_number)
        occurred = self.timestamp(p.occurred_at, values)
        reported = self.timestamp(p.reported_at, values) or occurred
        if reported is None:
            source = p.reported_at or p.occurred_at
            raise RowError(f"{source.label} is empty: the report needs a date.")
        record = ReportRecord(
            report_number=number,
            line=line,
            lines=[line],
            reported_at=reported,
            occurred_at=occurred,
            district_code=self._fits(self.text(p.district, values), CODE_MAX, p.district),
            beat=self._fits(self.text(p.beat, values), CODE_MAX, p.beat),
            location=_clip(self.text(p.location, values), TEXT_MAX),
            exported_status=self.text(p.investigation_status, values),
            exported_detective=_clip(self.text(p.detective, values), DETECTIVE_MAX),
            domestic_violence=self.flag(p.domestic_violence, values),
            weapon=self.flag(p.weapon, values),
            firearm=self.flag(p.firearm, values),
        )
        record.weapon |= record.firearm
        for spec in p.offenses:
            for element in self._elements(spec.each, values):
                offense = self.offense(spec, element)
                if offense is not None:
                    record.offenses.append(offense)
        for spec in p.people:
            for element in self._elements(spec.each, values):
                person = self.person(spec, element)
                if person is not None:
                    record.people.append(person)
        return record

    # --- values --------------------------------------------------------------------------

    def codes(self, source: Source | None, values: dict) -> tuple[str, ...]:
        """The value's codes: a map may give one source value several codes ("BLACK HISPANIC"
        = ["black", "hispanic"])."""
        value = self.text(source, values)
        return value if isinstance(value, tuple) else ((value,) if value else ())

    def text(self, source: Source | None, values: dict, *, on_miss: str = "error") -> str:
        """The value, mapped when the source has a map. A value the map does not list takes the
        map's "*" entry; without one, on_miss says: "error" (a bad row), "blank" or "keep"."""
        if source is None:
            return ""
        if source.plain:
            value = values.get(source.columns[0])
            # A CSV cell, read inline: this runs about ten times a row.
            return value.strip() if value.__class__ is str else cell(values, source.columns[0])
        parts = []
        for column in source.columns:
            value = values.get(column)
            value = value.strip() if value.__class__ is str else cell(values, column)
            if value and value.casefold() not in source.blank:
                parts.append(value)
        raw = source.separator.join(parts)
        if not raw or source.map is None:
            return raw
        key = raw.casefold()
        if key in source.map:
            return source.map[key]
        if DEFAULT in source.map:
            return source.map[DEFAULT]
        if on_miss == "blank":
            return ""
        if on_miss == "keep":
            return raw
        raise RowError(
            f"{source.label} {raw!r} is not in [maps.{source.map_name}]: add it to the profile "
            f'(or a "*" line for every other value).'
        )

    def timestamp(self, source: Source | None, values: dict) -> datetime | None:
        if source is None:
            return None
        raw = self.text(source, values)
        if not raw:
            return None
        parsed, fmt = self._parse_any(raw, source.formats, source.label, tzinfo=self.tz)
        clock = cell(values, source.time_column) if source.time_column else ""
        if clock:
            if "%H%M" in source.time_formats and clock.isdigit():
                clock = clock.zfill(4)  # "845" is 08:45: some exports drop the zero
            at, _ = self._parse_any(clock, source.time_formats, source.time_column)
            parsed = parsed.replace(hour=at.hour, minute=at.minute, second=at.second)
        elif source.default_time is not None and (source.time_column or not has_time(fmt)):
            # A date-only value, or a blank time column: the profile states the time it gets.
            at = source.default_time
            parsed = parsed.replace(hour=at.hour, minute=at.minute, second=at.second)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.tz)
        if parsed > self.latest:
            raise RowError(
                f"{source.label} {raw!r} is in the future: check the profile's format "
                f"({fmt}); are day and month swapped?"
            )
        return parsed

    def day(self, source: Source | None, values: dict) -> date | None:
        if source is None:
            return None
        raw = self.text(source, values)
        if not raw:
            return None
        if source.formats == ("iso",):
            try:
                parsed = date.fromisoformat(raw[:10])
            except ValueError:
                raise RowError(f"{source.label} is not a date in the format YYYY-MM-DD.") from None
        else:
            parsed = self._parse_any(raw, source.formats, source.label, echo=False)[0].date()
        if parsed > self.now.date():
            raise RowError(f"{source.label} is in the future.")
        return parsed

    def flag(self, tests: tuple[Test, ...], values: dict) -> bool:
        for test in tests:
            value = values.get(test.column)
            value = value.strip() if value.__class__ is str else cell(values, test.column)
            value = value.casefold()
            if test.values and value in test.values:
                return True
            if (
                test.contains
                and any(map(value.__contains__, test.contains))
                and not any(map(value.__contains__, test.unless_contains))
            ):
                return True
            if test.present and value and value not in test.present_except:
                return True
        return False

    # --- offenses and people -------------------------------------------------------------

    def offense(self, spec, values: dict) -> OffenseRecord | None:
        # An export repeats a few hundred offenses over and over: what the cells the spec reads
        # map to is kept (a new record is made each time, since finish() merges into it).
        cells = [values.get(column) for column in self._offense_columns(spec)]
        key, known = None, None
        if set(map(type, cells)) <= _STR:  # CSV cells; a JSON export's numbers are read anew
            key = (id(spec), *cells)
            known = self._offenses.get(key)
        if known is None:
            known = self._offense(spec, values)
            if key is not None:
                if len(self._offenses) >= OFFENSES_KEPT:
                    self._offenses.clear()  # memory stays flat whatever the export holds
                self._offenses[key] = known
        if not known:
            return None
        code, description, nibrs = known
        if not nibrs:
            seen = self.unmapped.setdefault(code, [0, description])
            seen[0] += 1
            seen[1] = seen[1] or description
        return OffenseRecord(code=code, description=description, nibrs_code=nibrs)

    def _offense_columns(self, spec) -> tuple[str, ...]:
        columns = self._spec_columns.get(id(spec))
        if columns is None:
            sources = [spec.code, spec.description, *spec.nibrs]
            columns = tuple(
                sorted({c for source in sources if source is not None for c in source.columns})
            )
            self._spec_columns[id(spec)] = columns
        return columns

    def _offense(self, spec, values: dict) -> tuple[str, str, str] | tuple[()]:
        """(code, description, NIBRS code) read from the cells, or () for no offense."""
        code = self.text(spec.code, values)
        if not code:
            return ()
        self._fits(code, CODE_MAX, spec.code)
        nibrs = ""
        for source in spec.nibrs:
            nibrs = self.text(source, values, on_miss="blank")
            if source.map is None and nibrs not in self.nibrs_codes:
                nibrs = ""
            if nibrs:
                break
        description = _clip(self.text(spec.description, values), TEXT_MAX)
        return code, description, nibrs

    def person(self, spec: PeopleSpec, values: dict) -> PersonRecord | None:
        if spec.only_when and not self.flag(spec.only_when, values):
            return None
        if spec.not_a_person and self.flag(spec.not_a_person, values):
            return None  # a business, the state, society: no one to serve
        role = spec.role or self.text(spec.role_from, values)
        if not role:
            return None
        if not spec.sources():
            # The export names no one: an unknown victim (one per report with `once`).
            return PersonRecord(role=role, sequence=1 if spec.once else None)
        first, last = self._names(spec, values)
        sequence = self.text(spec.sequence, values)
        if sequence and not (sequence.isdigit() and 0 < int(sequence) < 1000):
            raise RowError(f"{spec.sequence.label} {sequence!r} is not a number from 1 to 999.")
        race = race_ethnicity(self.codes(spec.race, values), self.codes(spec.ethnicity, values))
        age, band = self._age(spec.age, values)
        person = PersonRecord(
            role=role,
            sequence=int(sequence) if sequence else None,
            first_name=first,
            last_name=last,
            date_of_birth=self.day(spec.date_of_birth, values),
            age=age,
            age_band=band,
            sex=self.text(spec.sex, values) or "not_reported",
            race_ethnicity=race,
            phone=self._phone(self.text(spec.phone, values)),
            email=self.text(spec.email, values)[:254],
        )
        known = (
            person.first_name,
            person.last_name,
            person.date_of_birth,
            person.age is not None,
            person.age_band,
            person.sex != "not_reported",
            person.race_ethnicity != "not_reported",
            person.phone,
            person.email,
        )
        if not any(known) and person.sequence is None:
            return None  # e.g. a business or "society" victim: no person to serve
        return person

    def _names(self, spec: PeopleSpec, values: dict) -> tuple[str, str]:
        if spec.full_name is not None:
            full = self.text(spec.full_name, values)
            if spec.name_order == "last, first":
                last, _, first = full.partition(",")
            else:
                first, _, last = full.rpartition(" ")
            first, last = first.strip(), last.strip()
            source = spec.full_name
        else:
            first = self.text(spec.first_name, values)
            last = self.text(spec.last_name, values)
            source = spec.first_name or spec.last_name
        if len(first) > NAME_MAX or len(last) > NAME_MAX:
            raise RowError(f"{source.label}: a name is longer than {NAME_MAX} characters.")
        return first, last

    def _age(self, source: Source | None, values: dict) -> tuple[int | None, str]:
        """(age, "") for an age in years; (None, PMT band) for a range such as "18-24" ("unknown"
        where the range crosses a band); (None, "") when not given."""
        raw = self.text(source, values, on_miss="keep")
        if not raw:
            return None, ""
        if raw.isdigit() and int(raw) <= MAX_AGE:
            return int(raw), ""
        span = parse_age_range(raw)
        if span is None:
            raise RowError(
                f"{source.label} {raw!r} is not an age in years or a range such as 18-24; list "
                "values that mean unknown under blank = [...] in the profile."
            )
        return None, band_of_range(*span)

    @staticmethod
    def _phone(raw: str) -> str:
        if not raw:
            return ""
        try:
            return normalize_phone(raw)
        except ValidationError:
            return raw[:40]  # kept as exported for a specialist to read; not matchable

    # --- helpers -------------------------------------------------------------------------

    @staticmethod
    def _elements(each: str, values: dict) -> list[dict]:
        if not each:
            return [values]
        items = values.get(each) or []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise RowError(f"{each} is not a list of objects.")
        return items

    @staticmethod
    def _parse_any(
        raw: str, formats: tuple[str, ...], label: str, *, echo: bool = True, tzinfo=None
    ) -> tuple[datetime, str]:
        """The value read with the first of the formats that fits, and that format; in
        `tzinfo` where the format gives no zone of its own (ISO 8601 aside: the caller's)."""
        for fmt in formats:
            if fmt == "iso":
                try:
                    return datetime.fromisoformat(raw), fmt
                except ValueError:
                    continue
            try:
                return timeparse.parser(fmt)(raw, tzinfo), fmt
            except ValueError:
                continue
        shown = f" {raw!r}" if echo else ""
        if formats == ("iso",):
            raise RowError(f"{label}{shown} is not an ISO 8601 date and time.")
        tried = " or ".join("ISO 8601" if f == "iso" else f for f in formats)
        advice = "" if len(formats) > 1 else " (list more formats to try: format = [...])"
        raise RowError(f"{label}{shown} does not match the format {tried}{advice}.")

    @staticmethod
    def _fits(value: str, limit: int, source: Source | None) -> str:
        if len(value) > limit:
            raise RowError(f"{source.label} is longer than {limit} characters.")
        return value


def band_of_range(low: int, high: int | None) -> str:
    """The PMT age band holding every age from low to high, or "unknown" where the range crosses
    a band (45-64 is partly 25-59 and partly 60+; <18 is 0-12 and 13-17)."""
    band = age_band(low)
    if high is None:
        return band if age_band(MAX_AGE) == band else UNKNOWN_BAND
    return band if age_band(high) == band else UNKNOWN_BAND


def race_ethnicity(races: tuple[str, ...], ethnicities: tuple[str, ...]) -> str:
    """One PMT race/ethnicity from the codes read. PMT counts Hispanic or Latino as its own
    category: Hispanic among them decides. Otherwise two or more races are "multiple"."""
    codes = {c for c in (*races, *ethnicities) if c}
    if "hispanic" in codes:
        return "hispanic"
    known = codes - {"not_reported", "not_tracked"}
    if len(known) > 1:
        return "multiple"
    if known:
        return known.pop()
    return "not_tracked" if "not_tracked" in codes else "not_reported"


def _clip(text: str, limit: int) -> str:
    """Free text squeezed to fit: padded runs of spaces ("6300    BRYNHURST    AV") closed up."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
