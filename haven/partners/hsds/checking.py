"""Checking rows before anything is written: each value against its field (required, UUIDs, emails,
URLs, numbers, times, allowed values, lengths), then every reference to a row in the package or
already in the agency's directory."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from datetime import date, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from haven.partners import needs as needs_data
from haven.partners.hsds.reading import RowError, _Row
from haven.partners.hsds.schema import _LIMITS, REQUIRED, TABLES
from haven.partners.models import (
    WEEKDAY_CODES,
    Contact,
    Location,
    LocationType,
    Organization,
    PhoneType,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)
from haven.partners.services import LANGUAGE_NAMES, language_code, partner_phone

# --- checking rows -------------------------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:Z|[+-]\d{2}:?\d{2})?$")
_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])


def _parse_value(kind: str, fmt: str, raw: str):
    """Parse one cell; ValueError with the reason."""
    if fmt == "uuid":
        try:
            return uuid.UUID(raw)
        except ValueError:
            raise ValueError("not a UUID") from None
    if fmt == "email":
        try:
            _email(raw)
        except ValidationError:
            raise ValueError("not an email address") from None
        return raw
    if fmt == "uri":
        try:
            _url(raw)
        except ValidationError:
            raise ValueError("not a web address (http:// or https://)") from None
        return raw
    if kind == "number":
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError("not a number") from None
        if not number.is_finite():
            raise ValueError("not a number")
        return number
    if kind == "date":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ValueError("not a date (YYYY-MM-DD)") from None
    if kind == "datetime":
        return raw  # informational (last_modified); kept as text
    return raw


def _parse_time(raw: str) -> time:
    match = _TIME.match(raw)
    if not match:
        raise ValueError("not a time (HH:MM)")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    try:
        return time(hour, minute, second)
    except ValueError:
        raise ValueError("not a time of day (HH:MM)") from None


def _check_rows(tables) -> tuple[dict[str, list[_Row]], list[RowError]]:
    parsed: dict[str, list[_Row]] = defaultdict(list)
    errors: list[RowError] = []
    for name, rows in tables.items():
        fields = TABLES[name]
        file = f"{name}.csv"
        seen: dict[uuid.UUID, int] = {}
        model = _LIMITS.get(name)
        for line, raw in rows:
            values, row_errors = {}, []
            for fname, kind, fmt in fields:
                text = (raw.get(fname) or "").strip()
                if not text:
                    values[fname] = None
                    continue
                try:
                    values[fname] = _parse_value(kind, fmt, text)
                except ValueError as exc:
                    row_errors.append(RowError(file, line, fname, f"{text!r} is {exc}."))
                    continue
                if model is not None and kind == "string" and fmt == "":
                    limit = _max_length(model, fname)
                    if limit and len(text) > limit:
                        row_errors.append(
                            RowError(file, line, fname, f"Longer than {limit} characters.")
                        )
            for fname in ["id", *REQUIRED[name]]:
                if values.get(fname) is None and not any(e.field == fname for e in row_errors):
                    row_errors.append(RowError(file, line, fname, "Required: it is empty."))
            row_errors += _check_values(name, file, line, values)
            row_id = values.get("id")
            if row_id is not None:
                if row_id in seen:
                    row_errors.append(
                        RowError(file, line, "id", f"The same id is on line {seen[row_id]}.")
                    )
                else:
                    seen[row_id] = line
            if row_errors:
                errors += row_errors
            else:
                parsed[name].append(_Row(name, line, values))
    return parsed, errors


def _max_length(model, fname: str) -> int | None:
    try:
        return model._meta.get_field(fname).max_length
    except Exception:
        return None


# long: one table's allowed values and cross-field rules per branch, as HSDS lists them
def _check_values(name: str, file: str, line: int, v: dict) -> list[RowError]:
    """Allowed values and cross-field rules of one row; converts values in place."""
    errs = []

    def err(fname, message):
        errs.append(RowError(file, line, fname, message))

    if name == "service":
        if v["status"] is None:
            v["status"] = ServiceStatus.ACTIVE
        elif v["status"] not in ServiceStatus.values:
            err("status", f"Use one of: {', '.join(ServiceStatus.values)}.")
        for age in ("minimum_age", "maximum_age"):
            if v[age] is not None:
                if v[age] != int(v[age]) or not 0 <= v[age] <= 130:
                    err(age, "Give a whole number of years (0 to 130).")
                else:
                    v[age] = int(v[age])
        low, high = v["minimum_age"], v["maximum_age"]
        if isinstance(low, int) and isinstance(high, int) and low > high:
            err("maximum_age", "Below the minimum age.")
    elif name in ("location", "address"):
        key = "location_type" if name == "location" else "address_type"
        if v[key] is None:
            v[key] = LocationType.PHYSICAL
        elif v[key] not in LocationType.values:
            err(key, f"Use one of: {', '.join(LocationType.values)}.")
        if name == "address":
            v["country"] = (v["country"] or "US").upper()
            if len(v["country"]) != 2:
                err("country", "Use the two-letter country code (US).")
        else:
            for coord, bound in (("latitude", 90), ("longitude", 180)):
                if v[coord] is not None:
                    if abs(v[coord]) > bound:
                        err(coord, f"Out of range (±{bound}).")
                    else:
                        v[coord] = v[coord].quantize(Decimal("0.000001"))
    elif name == "phone":
        try:
            v["number"] = partner_phone(v["number"]) if v["number"] else None
        except ValidationError as exc:
            err("number", " ".join(exc.messages))
        v["type"] = (v["type"] or PhoneType.VOICE).lower()
        if v["type"] not in PhoneType.values:
            err("type", f"Use one of: {', '.join(PhoneType.values)}.")
        if v["extension"] is not None:
            v["extension"] = str(int(v["extension"]))
        if not any(v[k] for k in ("organization_id", "service_id", "location_id", "contact_id")):
            err("organization_id", "A phone needs an organization, service, location or contact.")
    elif name == "schedule":
        for key in ("opens_at", "closes_at"):
            if v[key] is not None:
                try:
                    v[key] = _parse_time(v[key])
                except ValueError as exc:
                    err(key, f"{v[key]!r} is {exc}.")
        if (v["opens_at"] is None) != (v["closes_at"] is None):
            err("closes_at", "Give both opens_at and closes_at, or neither.")
        freq = (v["freq"] or "WEEKLY").upper()
        if freq not in ("WEEKLY",):
            err("freq", "Haven keeps weekly hours only: use WEEKLY (or describe other hours).")
        days = [d.strip().upper() for d in (v["byday"] or "").split(",") if d.strip()]
        bad = [d for d in days if d not in WEEKDAY_CODES]
        if bad:
            err("byday", f"Unknown days {', '.join(bad)}: use MO,TU,WE,TH,FR,SA,SU.")
        v["byday"] = ",".join(d for d in WEEKDAY_CODES if d in days)
        if not v["byday"] and not v["description"]:
            err("byday", "Give the days (byday) or a description of the hours.")
        if not (v["service_id"] or v["service_at_location_id"] or v["location_id"]):
            err("service_id", "A schedule needs a service, a service at location or a location.")
    elif name == "language":
        if v["code"] is not None:
            try:
                v["code"] = language_code(v["code"])
            except ValidationError as exc:
                err("code", " ".join(exc.messages))
        elif v["name"]:
            by_name = {n.lower(): c for c, n in LANGUAGE_NAMES.items()}
            v["code"] = by_name.get(v["name"].lower())
            if v["code"] is None:
                err("code", "Give the ISO 639 code: the name alone is not one Haven knows.")
        else:
            err("code", "Give the language's ISO 639 code.")
    elif name == "service_area" and not (v["service_id"] or v["service_at_location_id"]):
        err("service_id", "A service area needs a service.")
    return errs


# --- resolving references ------------------------------------------------------------------


class _Refs:
    """HSDS id -> what it refers to: rows of the package (by table) and rows of the directory."""

    def __init__(self, agency, parsed):
        self.parsed = parsed
        self.pkg = {t: {r.values["id"]: r for r in rows} for t, rows in parsed.items()}
        self.db = {
            "organization": set(
                Organization.objects.filter(agency=agency).values_list("hsds_id", flat=True)
            ),
            "service": dict(
                Service.objects.filter(agency=agency).values_list(
                    "hsds_id", "organization__hsds_id"
                )
            ),
            "location": dict(
                Location.objects.filter(agency=agency).values_list(
                    "hsds_id", "organization__hsds_id"
                )
            ),
            "contact": dict(
                Contact.objects.filter(agency=agency).values_list(
                    "hsds_id", "organization__hsds_id"
                )
            ),
            "service_at_location": dict(
                ServiceAtLocation.objects.filter(agency=agency).values_list(
                    "hsds_id", "service__hsds_id"
                )
            ),
        }

    def exists(self, table: str, hsds_id) -> bool:
        return hsds_id in self.pkg.get(table, {}) or hsds_id in self.db.get(table, ())

    def org_of(self, table: str, hsds_id):
        """The organization id of a service, location or contact (package first)."""
        row = self.pkg.get(table, {}).get(hsds_id)
        if row is not None:
            return row.values.get("organization_id") or (
                self._org_by_sal(hsds_id) if table == "location" else None
            )
        return self.db.get(table, {}).get(hsds_id)

    def _org_by_sal(self, location_id):
        for sal in self.parsed.get("service_at_location", []):
            if sal.values["location_id"] == location_id:
                return self.org_of("service", sal.values["service_id"])
        return None

    def service_of_sal(self, sal_id):
        row = self.pkg.get("service_at_location", {}).get(sal_id)
        if row is not None:
            return row.values["service_id"]
        return self.db["service_at_location"].get(sal_id)


# table -> [(field, table it refers to)]
REFERENCES = {
    "service": [("organization_id", "organization")],
    "location": [("organization_id", "organization")],
    "address": [("location_id", "location")],
    "service_at_location": [("service_id", "service"), ("location_id", "location")],
    "contact": [("organization_id", "organization"), ("service_id", "service")],
    "phone": [
        ("organization_id", "organization"),
        ("service_id", "service"),
        ("location_id", "location"),
        ("contact_id", "contact"),
    ],
    "schedule": [
        ("service_id", "service"),
        ("location_id", "location"),
        ("service_at_location_id", "service_at_location"),
    ],
    "language": [("service_id", "service")],
    "service_area": [("service_id", "service"), ("service_at_location_id", "service_at_location")],
    "taxonomy_term": [("taxonomy_id", "taxonomy")],
    "attribute": [("taxonomy_term_id", "taxonomy_term")],
}


def _check_references(refs: _Refs) -> list[RowError]:
    errors = []
    for table, links in REFERENCES.items():
        for row in refs.parsed.get(table, []):
            file = f"{table}.csv"
            for fname, target in links:
                value = row.values.get(fname)
                if value is None:
                    continue
                if target == "taxonomy_term" or target == "taxonomy":
                    ok = (
                        value in refs.pkg.get(target, {})
                        or (target == "taxonomy_term" and needs_data.code_for_term(value))
                        or (target == "taxonomy" and value == needs_data.TAXONOMY_ID)
                    )
                else:
                    ok = refs.exists(target, value)
                if not ok:
                    errors.append(
                        RowError(file, row.line, fname, f"No {target} with the id {value}.")
                    )
            if (
                table == "location"
                and row.values["organization_id"] is None
                and refs.org_of("location", row.values["id"]) is None
            ):
                errors.append(
                    RowError(
                        file,
                        row.line,
                        "organization_id",
                        "Give the organization: no service at this location names one.",
                    )
                )
            if table == "contact" and not (
                row.values["organization_id"] or row.values["service_id"]
            ):
                errors.append(
                    RowError(file, row.line, "organization_id", "A contact needs an organization.")
                )
    return errors
