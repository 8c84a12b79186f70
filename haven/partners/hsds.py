"""Import and export of the partner directory as an Open Referral HSDS 3.x tabular data package:
a .zip holding datapackage.json and one CSV per object (organization.csv, service.csv, ...).

Field names are HSDS's (checked against openreferral/specification schema/*.json, 3.x). Haven
reads and writes the objects and fields it keeps (TABLES below); other tables and columns of a
package are ignored, and rows it cannot hold (a language of a location rather than a service, a
term of another taxonomy) are counted as skipped.

Import rules (docs/partners.md):
- idempotent on HSDS ids: a row whose id the agency already has updates that row;
- every row is checked first (required fields, UUIDs, emails, URLs, numbers, times, allowed
  values, references to rows in the package or already in the directory); any problem and
  nothing is written, and each problem is reported with its file, line and field;
- for list-like details (phones, schedules, languages, areas, need categories, contacts,
  addresses, service at location) of a parent in the package, the package is the truth: those
  of its details missing from the package are removed. Organizations, services and locations
  missing from the package are left as they are (a package may cover part of the directory).
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
import zipfile
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.lib.spreadsheet import csv_writer
from haven.partners import needs as needs_data
from haven.partners.models import (
    WEEKDAY_CODES,
    Address,
    Contact,
    Language,
    Location,
    LocationType,
    Organization,
    Phone,
    PhoneType,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceNeed,
    ServiceStatus,
)
from haven.partners.services import LANGUAGE_NAMES, language_code, partner_phone

MAX_ZIP_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ERRORS = 200
# What reading a damaged or encrypted member of a .zip may raise.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, OSError, EOFError)

# table -> [(field, frictionless type, format or "")], in HSDS's column order.
TABLES: dict[str, list[tuple[str, str, str]]] = {
    "organization": [
        ("id", "string", "uuid"),
        ("name", "string", ""),
        ("alternate_name", "string", ""),
        ("description", "string", ""),
        ("email", "string", "email"),
        ("website", "string", "uri"),
    ],
    "service": [
        ("id", "string", "uuid"),
        ("organization_id", "string", "uuid"),
        ("name", "string", ""),
        ("alternate_name", "string", ""),
        ("description", "string", ""),
        ("url", "string", "uri"),
        ("email", "string", "email"),
        ("status", "string", ""),
        ("interpretation_services", "string", ""),
        ("application_process", "string", ""),
        ("fees_description", "string", ""),
        ("eligibility_description", "string", ""),
        ("minimum_age", "number", ""),
        ("maximum_age", "number", ""),
        ("last_modified", "datetime", ""),
    ],
    "location": [
        ("id", "string", "uuid"),
        ("location_type", "string", ""),
        ("url", "string", "uri"),
        ("organization_id", "string", "uuid"),
        ("name", "string", ""),
        ("description", "string", ""),
        ("transportation", "string", ""),
        ("latitude", "number", ""),
        ("longitude", "number", ""),
    ],
    "address": [
        ("id", "string", "uuid"),
        ("location_id", "string", "uuid"),
        ("attention", "string", ""),
        ("address_1", "string", ""),
        ("address_2", "string", ""),
        ("city", "string", ""),
        ("region", "string", ""),
        ("state_province", "string", ""),
        ("postal_code", "string", ""),
        ("country", "string", ""),
        ("address_type", "string", ""),
    ],
    "service_at_location": [
        ("id", "string", "uuid"),
        ("service_id", "string", "uuid"),
        ("location_id", "string", "uuid"),
        ("description", "string", ""),
    ],
    "contact": [
        ("id", "string", "uuid"),
        ("organization_id", "string", "uuid"),
        ("service_id", "string", "uuid"),
        ("name", "string", ""),
        ("title", "string", ""),
        ("department", "string", ""),
        ("email", "string", "email"),
    ],
    "phone": [
        ("id", "string", "uuid"),
        ("location_id", "string", "uuid"),
        ("service_id", "string", "uuid"),
        ("organization_id", "string", "uuid"),
        ("contact_id", "string", "uuid"),
        ("number", "string", ""),
        ("extension", "number", ""),
        ("type", "string", ""),
        ("description", "string", ""),
    ],
    "schedule": [
        ("id", "string", "uuid"),
        ("service_id", "string", "uuid"),
        ("location_id", "string", "uuid"),
        ("service_at_location_id", "string", "uuid"),
        ("valid_from", "date", ""),
        ("valid_to", "date", ""),
        ("freq", "string", ""),
        ("byday", "string", ""),
        ("opens_at", "string", ""),
        ("closes_at", "string", ""),
        ("description", "string", ""),
    ],
    "language": [
        ("id", "string", "uuid"),
        ("service_id", "string", "uuid"),
        ("location_id", "string", "uuid"),
        ("phone_id", "string", "uuid"),
        ("name", "string", ""),
        ("code", "string", ""),
        ("note", "string", ""),
    ],
    "service_area": [
        ("id", "string", "uuid"),
        ("service_id", "string", "uuid"),
        ("service_at_location_id", "string", "uuid"),
        ("name", "string", ""),
        ("description", "string", ""),
    ],
    "taxonomy": [
        ("id", "string", "uuid"),
        ("name", "string", ""),
        ("description", "string", ""),
        ("uri", "string", "uri"),
        ("version", "string", ""),
    ],
    "taxonomy_term": [
        ("id", "string", "uuid"),
        ("code", "string", ""),
        ("name", "string", ""),
        ("description", "string", ""),
        ("parent_id", "string", "uuid"),
        ("taxonomy", "string", ""),
        ("taxonomy_id", "string", "uuid"),
        ("term_uri", "string", "uri"),
    ],
    "attribute": [
        ("id", "string", "uuid"),
        ("link_id", "string", "uuid"),
        ("taxonomy_term_id", "string", "uuid"),
        ("link_type", "string", ""),
        ("link_entity", "string", ""),
        ("value", "string", ""),
        ("label", "string", ""),
    ],
}

# Fields a row must have, beyond `id` (HSDS's required fields, and what Haven needs to hold it).
REQUIRED = {
    "organization": ["name"],
    "service": ["organization_id", "name"],
    "location": [],
    "address": ["location_id", "address_1", "city", "state_province", "postal_code"],
    "service_at_location": ["service_id", "location_id"],
    "contact": [],
    "phone": ["number"],
    "schedule": [],
    "language": [],
    "service_area": ["name"],
    "taxonomy": ["name"],
    "taxonomy_term": ["name"],
    "attribute": ["link_id", "taxonomy_term_id"],
}
# Maximum lengths, from the model fields.
_LIMITS = {
    "organization": Organization,
    "service": Service,
    "location": Location,
    "address": Address,
    "contact": Contact,
    "phone": Phone,
    "schedule": Schedule,
    "language": Language,
    "service_area": ServiceArea,
}


@dataclass(frozen=True)
class RowError:
    file: str
    line: int  # the CSV line (the header is line 1); 0 for the package itself
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return (
            f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ImportRefused(Exception):
    """The package was refused; nothing was written. `errors` says where and what to fix."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the package; nothing was imported.")


@dataclass
class ImportResult:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    ignored_tables: list[str] = field(default_factory=list)

    def summary(self) -> str:
        def part(counter: Counter, word: str) -> str:
            total = sum(counter.values())
            if not total:
                return ""
            detail = ", ".join(f"{n} {t}" for t, n in sorted(counter.items()))
            return f"{word} {total} ({detail})"

        parts = [
            p
            for p in (
                part(self.created, "added"),
                part(self.updated, "updated"),
                part(self.removed, "removed"),
                part(self.skipped, "skipped"),
            )
            if p
        ]
        return "; ".join(parts) or "nothing to change"


@dataclass
class _Row:
    table: str
    line: int
    values: dict  # field -> parsed value (None when empty)


# --- reading the package -------------------------------------------------------------------


def _read_package(
    data: bytes,
) -> tuple[dict[str, list[tuple[int, dict]]], list[str], list[RowError]]:
    """The package's CSV rows per known table (line number, raw dict), unknown table names, and
    problems with the package itself."""
    if len(data) > MAX_ZIP_BYTES:
        return {}, [], [RowError("package", 0, "", "The file is larger than 20 MB.")]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return {}, [], [RowError("package", 0, "", "This is not a .zip file.")]
    infos = {i.filename: i for i in archive.infolist() if not i.is_dir()}
    if sum(i.file_size for i in infos.values()) > MAX_UNPACKED_BYTES:
        return {}, [], [RowError("package", 0, "", "The package unpacks to more than 100 MB.")]
    descriptor = next((n for n in infos if n.rsplit("/", 1)[-1] == "datapackage.json"), None)
    if descriptor is None:
        return (
            {},
            [],
            [
                RowError(
                    "package", 0, "", "datapackage.json is missing: this is not a data package."
                )
            ],
        )
    base = descriptor[: -len("datapackage.json")]
    try:
        meta = json.loads(archive.read(descriptor).decode("utf-8-sig"))
        resources = meta["resources"]
        paths = {r["name"]: r.get("path") or f"{r['name']}.csv" for r in resources}
        if not all(isinstance(p, str) for p in paths.values()):
            raise TypeError("a resource's path is not one file")
    except (ValueError, KeyError, TypeError, *_ZIP_ERRORS):
        return (
            {},
            [],
            [RowError("datapackage.json", 0, "", "Cannot read it: it needs a list of resources.")],
        )
    tables: dict[str, list[tuple[int, dict]]] = {}
    errors: list[RowError] = []
    unknown = sorted(n for n in paths if n not in TABLES)
    for name in TABLES:
        path = paths.get(name)
        if path is None:
            continue
        member = base + path
        if member not in infos:
            errors.append(RowError(path, 0, "", "Listed in datapackage.json but not in the .zip."))
            continue
        try:
            text = archive.read(member).decode("utf-8-sig")
        except UnicodeDecodeError:
            errors.append(RowError(path, 0, "", "Not UTF-8 text: save the CSV as UTF-8."))
            continue
        except _ZIP_ERRORS:
            errors.append(RowError(path, 0, "", "Cannot unpack it from the .zip."))
            continue
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = []
        try:
            if "id" not in (reader.fieldnames or []):
                errors.append(RowError(path, 1, "id", "The header has no id column."))
                continue
            for raw in reader:
                if None in raw:
                    errors.append(RowError(path, reader.line_num, "", "More values than columns."))
                    continue
                if not any((v or "").strip() for v in raw.values()):
                    continue
                rows.append((reader.line_num, raw))
        except csv.Error as exc:
            errors.append(RowError(path, reader.line_num, "", f"Not a readable CSV: {exc}."))
            continue
        tables[name] = rows
    return tables, unknown, errors


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


# --- writing -------------------------------------------------------------------------------


def hsds_import(*, actor: Actor, data: bytes, file_name: str = "") -> ImportResult:
    """Import an HSDS tabular data package (.zip bytes) into the actor's agency.

    Needs partners.manage. Raises ImportRefused (nothing written) with every problem found;
    otherwise writes everything in one transaction with one partner.import audit event and
    returns the counts.
    """
    actor.require(Perm.PARTNERS_MANAGE)
    tables, unknown, errors = _read_package(data)
    if errors:
        raise ImportRefused(errors)
    parsed, errors = _check_rows(tables)
    refs = _Refs(actor.agency, parsed)
    errors += _check_references(refs)
    if errors:
        errors.sort(
            key=lambda e: (list(TABLES).index(e.file[:-4]) if e.file[:-4] in TABLES else -1, e.line)
        )
        raise ImportRefused(errors[:MAX_ERRORS])
    result = ImportResult(ignored_tables=unknown)
    with transaction.atomic():
        _Writer(actor, parsed, refs, result, set(tables)).run()
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_IMPORT,
            details={
                "file": file_name[:100],
                "created": dict(result.created),
                "updated": dict(result.updated),
                "removed": dict(result.removed),
                "skipped": dict(result.skipped),
            },
        )
    return result


class _Writer:
    def __init__(self, actor, parsed, refs, result, present):
        self.agency = actor.agency
        self.parsed = parsed
        self.refs = refs
        self.result = result
        self.present = present  # tables the package has (only those are synced)
        self.orgs: dict = {}
        self.services: dict = {}
        self.locations: dict = {}
        self.contacts: dict = {}
        self.sals: dict = {}

    def rows(self, table):
        return self.parsed.get(table, [])

    def _upsert(self, model, table, hsds_id, values: dict):
        obj = model.objects.filter(agency=self.agency, hsds_id=hsds_id).first()
        if obj is None:
            obj = model(agency=self.agency, hsds_id=hsds_id, **values)
            obj.save()
            self.result.created[table] += 1
            return obj
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if changed:
            for k in changed:
                setattr(obj, k, values[k])
            obj.save()
            self.result.updated[table] += 1
        return obj

    def _get(self, model, cache, hsds_id):
        if hsds_id not in cache:
            cache[hsds_id] = model.objects.get(agency=self.agency, hsds_id=hsds_id)
        return cache[hsds_id]

    def org(self, hsds_id):
        return self._get(Organization, self.orgs, hsds_id)

    def service(self, hsds_id):
        return self._get(Service, self.services, hsds_id)

    def location(self, hsds_id):
        return self._get(Location, self.locations, hsds_id)

    def contact(self, hsds_id):
        return self._get(Contact, self.contacts, hsds_id)

    @staticmethod
    def _s(value) -> str:
        return "" if value is None else str(value)

    def run(self):
        s = self._s
        for r in self.rows("organization"):
            v = r.values
            self.orgs[v["id"]] = self._upsert(
                Organization,
                "organization",
                v["id"],
                {
                    "name": v["name"],
                    "alternate_name": s(v["alternate_name"]),
                    "description": s(v["description"]),
                    "email": s(v["email"]),
                    "website": s(v["website"]),
                },
            )
        for r in self.rows("service"):
            v = r.values
            self.services[v["id"]] = self._upsert(
                Service,
                "service",
                v["id"],
                {
                    "organization": self.org(v["organization_id"]),
                    "name": v["name"],
                    "alternate_name": s(v["alternate_name"]),
                    "description": s(v["description"]),
                    "url": s(v["url"]),
                    "email": s(v["email"]),
                    "status": v["status"],
                    "interpretation_services": s(v["interpretation_services"]),
                    "application_process": s(v["application_process"]),
                    "fees_description": s(v["fees_description"]),
                    "eligibility_description": s(v["eligibility_description"]),
                    "minimum_age": v["minimum_age"],
                    "maximum_age": v["maximum_age"],
                },
            )
        for r in self.rows("location"):
            v = r.values
            org_id = v["organization_id"] or self.refs.org_of("location", v["id"])
            self.locations[v["id"]] = self._upsert(
                Location,
                "location",
                v["id"],
                {
                    "organization": self.org(org_id),
                    "location_type": v["location_type"],
                    "url": s(v["url"]),
                    "name": s(v["name"]),
                    "description": s(v["description"]),
                    "transportation": s(v["transportation"]),
                    "latitude": v["latitude"],
                    "longitude": v["longitude"],
                },
            )
        self._children()

    def _sync(self, model, table, parent_field, parent_ids, kept_ids):
        """Remove the rows of `model` under the package's parents that the package dropped."""
        if table not in self.present or not parent_ids:
            return
        stale = model.objects.filter(
            agency=self.agency, **{f"{parent_field}__hsds_id__in": parent_ids}
        ).exclude(hsds_id__in=kept_ids)
        count = stale.count()
        if count:
            stale.delete()
            self.result.removed[table] += count

    def _children(self):
        s = self._s
        pkg_orgs = [r.values["id"] for r in self.rows("organization")]
        pkg_services = [r.values["id"] for r in self.rows("service")]
        pkg_locations = [r.values["id"] for r in self.rows("location")]

        kept = []
        for r in self.rows("address"):
            v = r.values
            kept.append(v["id"])
            self._upsert(
                Address,
                "address",
                v["id"],
                {
                    "location": self.location(v["location_id"]),
                    "attention": s(v["attention"]),
                    "address_1": v["address_1"],
                    "address_2": s(v["address_2"]),
                    "city": v["city"],
                    "region": s(v["region"]),
                    "state_province": v["state_province"],
                    "postal_code": v["postal_code"],
                    "country": v["country"],
                    "address_type": v["address_type"],
                },
            )
        self._sync(Address, "address", "location", pkg_locations, kept)

        kept = []
        for r in self.rows("service_at_location"):
            v = r.values
            kept.append(v["id"])
            service, location = self.service(v["service_id"]), self.location(v["location_id"])
            existing = ServiceAtLocation.objects.filter(
                agency=self.agency, service=service, location=location
            ).exclude(hsds_id=v["id"])
            if existing.exists():  # the same pair under another id: take the package's id
                existing.delete()
            self.sals[v["id"]] = self._upsert(
                ServiceAtLocation,
                "service_at_location",
                v["id"],
                {"service": service, "location": location, "description": s(v["description"])},
            )
        self._sync(ServiceAtLocation, "service_at_location", "service", pkg_services, kept)

        kept = []
        for r in self.rows("contact"):
            v = r.values
            kept.append(v["id"])
            service = self.service(v["service_id"]) if v["service_id"] else None
            org = self.org(v["organization_id"]) if v["organization_id"] else service.organization
            self.contacts[v["id"]] = self._upsert(
                Contact,
                "contact",
                v["id"],
                {
                    "organization": org,
                    "service": service,
                    "name": s(v["name"]) or s(v["title"]) or "Contact",
                    "title": s(v["title"]),
                    "department": s(v["department"]),
                    "email": s(v["email"]),
                },
            )
        self._sync(Contact, "contact", "organization", pkg_orgs, kept)

        kept = []
        for r in self.rows("phone"):
            v = r.values
            kept.append(v["id"])
            service = self.service(v["service_id"]) if v["service_id"] else None
            location = self.location(v["location_id"]) if v["location_id"] else None
            contact = self.contact(v["contact_id"]) if v["contact_id"] else None
            if v["organization_id"]:
                org = self.org(v["organization_id"])
            else:
                org = (service or location or contact).organization
            self._upsert(
                Phone,
                "phone",
                v["id"],
                {
                    "organization": org,
                    "service": service,
                    "location": location,
                    "contact": contact,
                    "number": v["number"],
                    "extension": s(v["extension"]),
                    "type": v["type"],
                    "description": s(v["description"]),
                },
            )
        self._sync(Phone, "phone", "organization", pkg_orgs, kept)

        kept = []
        for r in self.rows("schedule"):
            v = r.values
            kept.append(v["id"])
            service_id = v["service_id"] or (
                self.refs.service_of_sal(v["service_at_location_id"])
                if v["service_at_location_id"]
                else None
            )
            self._upsert(
                Schedule,
                "schedule",
                v["id"],
                {
                    "service": self.service(service_id) if service_id else None,
                    "location": self.location(v["location_id"]) if v["location_id"] else None,
                    "freq": "WEEKLY",
                    "byday": v["byday"],
                    "opens_at": v["opens_at"],
                    "closes_at": v["closes_at"],
                    "valid_from": v["valid_from"],
                    "valid_to": v["valid_to"],
                    "description": s(v["description"])[:300],
                },
            )
        self._sync(Schedule, "schedule", "service", pkg_services, kept)

        kept = []
        for r in self.rows("language"):
            v = r.values
            if not v["service_id"]:
                self.result.skipped["language"] += 1  # a location's or phone's language
                continue
            kept.append(v["id"])
            service = self.service(v["service_id"])
            Language.objects.filter(agency=self.agency, service=service, code=v["code"]).exclude(
                hsds_id=v["id"]
            ).delete()
            self._upsert(
                Language,
                "language",
                v["id"],
                {
                    "service": service,
                    "code": v["code"],
                    "name": s(v["name"]) or LANGUAGE_NAMES.get(v["code"], ""),
                    "note": s(v["note"]),
                },
            )
        self._sync(Language, "language", "service", pkg_services, kept)

        kept = []
        for r in self.rows("service_area"):
            v = r.values
            kept.append(v["id"])
            service_id = v["service_id"] or self.refs.service_of_sal(v["service_at_location_id"])
            self._upsert(
                ServiceArea,
                "service_area",
                v["id"],
                {
                    "service": self.service(service_id),
                    "name": v["name"],
                    "description": s(v["description"])[:300],
                },
            )
        self._sync(ServiceArea, "service_area", "service", pkg_services, kept)

        self._needs(pkg_services)

    def _needs(self, pkg_services):
        terms = {r.values["id"]: r.values for r in self.rows("taxonomy_term")}
        kept = []
        for r in self.rows("attribute"):
            v = r.values
            code = needs_data.code_for_term(v["taxonomy_term_id"])
            if code is None:
                term = terms.get(v["taxonomy_term_id"], {})
                if term.get("taxonomy_id") in (None, needs_data.TAXONOMY_ID):
                    candidate = term.get("code")
                    code = candidate if candidate in dict(needs_data.choices()) else None
            entity = (v["link_entity"] or "service").lower()
            if code is None or entity != "service" or not self.refs.exists("service", v["link_id"]):
                self.result.skipped["attribute"] += 1  # another taxonomy, or not a service's
                continue
            kept.append(v["id"])
            service = self.service(v["link_id"])
            ServiceNeed.objects.filter(agency=self.agency, service=service, code=code).exclude(
                hsds_id=v["id"]
            ).delete()
            self._upsert(ServiceNeed, "attribute", v["id"], {"service": service, "code": code})
        self._sync(ServiceNeed, "attribute", "service", pkg_services, kept)


# --- export --------------------------------------------------------------------------------


def hsds_export(*, actor: Actor) -> bytes:
    """The agency's whole directory as an HSDS tabular data package (.zip bytes), which
    hsds_import reads back. Needs partners.manage; audited as partner.export with the counts."""
    actor.require(Perm.PARTNERS_MANAGE)
    agency = actor.agency

    def u(value) -> str:
        return "" if value is None else str(value)

    def t(value) -> str:
        return value.strftime("%H:%M") if value else ""

    rows: dict[str, list[list[str]]] = {name: [] for name in TABLES}
    for o in Organization.objects.filter(agency=agency).order_by("name", "id"):
        rows["organization"].append(
            [u(o.hsds_id), o.name, o.alternate_name, o.description, o.email, o.website]
        )
    for s in Service.objects.filter(agency=agency).select_related("organization").order_by("id"):
        rows["service"].append(
            [
                u(s.hsds_id),
                u(s.organization.hsds_id),
                s.name,
                s.alternate_name,
                s.description,
                s.url,
                s.email,
                s.status,
                s.interpretation_services,
                s.application_process,
                s.fees_description,
                s.eligibility_description,
                u(s.minimum_age),
                u(s.maximum_age),
                timezone.localtime(s.updated_at).isoformat(timespec="milliseconds"),
            ]
        )
    for loc in Location.objects.filter(agency=agency).select_related("organization").order_by("id"):
        rows["location"].append(
            [
                u(loc.hsds_id),
                loc.location_type,
                loc.url,
                u(loc.organization.hsds_id),
                loc.name,
                loc.description,
                loc.transportation,
                u(loc.latitude),
                u(loc.longitude),
            ]
        )
    for a in Address.objects.filter(agency=agency).select_related("location").order_by("id"):
        rows["address"].append(
            [
                u(a.hsds_id),
                u(a.location.hsds_id),
                a.attention,
                a.address_1,
                a.address_2,
                a.city,
                a.region,
                a.state_province,
                a.postal_code,
                a.country,
                a.address_type,
            ]
        )
    for sal in (
        ServiceAtLocation.objects.filter(agency=agency)
        .select_related("service", "location")
        .order_by("id")
    ):
        rows["service_at_location"].append(
            [u(sal.hsds_id), u(sal.service.hsds_id), u(sal.location.hsds_id), sal.description]
        )
    for c in (
        Contact.objects.filter(agency=agency)
        .select_related("organization", "service")
        .order_by("id")
    ):
        rows["contact"].append(
            [
                u(c.hsds_id),
                u(c.organization.hsds_id),
                u(c.service.hsds_id) if c.service else "",
                c.name,
                c.title,
                c.department,
                c.email,
            ]
        )
    for p in (
        Phone.objects.filter(agency=agency)
        .select_related("organization", "service", "location", "contact")
        .order_by("id")
    ):
        owned = p.service or p.location or p.contact
        rows["phone"].append(
            [
                u(p.hsds_id),
                u(p.location.hsds_id) if p.location else "",
                u(p.service.hsds_id) if p.service else "",
                "" if owned else u(p.organization.hsds_id),
                u(p.contact.hsds_id) if p.contact else "",
                p.number,
                p.extension,
                p.type,
                p.description,
            ]
        )
    for sc in (
        Schedule.objects.filter(agency=agency).select_related("service", "location").order_by("id")
    ):
        rows["schedule"].append(
            [
                u(sc.hsds_id),
                u(sc.service.hsds_id) if sc.service else "",
                u(sc.location.hsds_id) if sc.location else "",
                "",
                u(sc.valid_from),
                u(sc.valid_to),
                sc.freq,
                sc.byday,
                t(sc.opens_at),
                t(sc.closes_at),
                sc.description,
            ]
        )
    for lang in Language.objects.filter(agency=agency).select_related("service").order_by("id"):
        rows["language"].append(
            [u(lang.hsds_id), u(lang.service.hsds_id), "", "", lang.name, lang.code, lang.note]
        )
    for area in ServiceArea.objects.filter(agency=agency).select_related("service").order_by("id"):
        rows["service_area"].append(
            [u(area.hsds_id), u(area.service.hsds_id), "", area.name, area.description]
        )
    tax = needs_data.taxonomy()
    rows["taxonomy"].append(
        [u(needs_data.TAXONOMY_ID), tax["name"], tax["description"], "", tax["version"]]
    )
    for code, name, description in needs_data.all_needs():
        rows["taxonomy_term"].append(
            [
                u(needs_data.term_id(code)),
                code,
                name,
                description,
                "",
                tax["name"],
                u(needs_data.TAXONOMY_ID),
                "",
            ]
        )
    for need in ServiceNeed.objects.filter(agency=agency).select_related("service").order_by("id"):
        rows["attribute"].append(
            [
                u(need.hsds_id),
                u(need.service.hsds_id),
                u(needs_data.term_id(need.code)),
                "service_category",
                "service",
                "",
                need.get_code_display(),
            ]
        )

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(_descriptor(agency), indent=2))
        for name, fields in TABLES.items():
            out = io.StringIO(newline="")
            writer = csv_writer(out, lineterminator="\r\n")
            writer.writerow([f for f, _, _ in fields])
            writer.writerows(rows[name])
            archive.writestr(f"{name}.csv", out.getvalue())
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_EXPORT,
            details={name: len(r) for name, r in rows.items() if r},
        )
    return buffer.getvalue()


def _descriptor(agency) -> dict:
    return {
        "name": "haven-partner-directory",
        "title": f"{agency.name}: partner directory",
        "profile": "tabular-data-package",
        "created": timezone.now().isoformat(timespec="seconds"),
        "description": "Open Referral HSDS 3.x tabular data package exported by Haven.",
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": f, "type": kind, **({"format": fmt} if fmt else {})}
                        | ({"constraints": {"required": True}} if f == "id" else {})
                        for f, kind, fmt in fields
                    ],
                    "primaryKey": "id",
                },
            }
            for name, fields in TABLES.items()
        ],
    }
