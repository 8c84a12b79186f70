"""Reading a package: the .zip's datapackage.json and CSV files into rows per table, within the
size limits; the errors and the result an import reports."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from haven.partners.hsds.schema import _ZIP_ERRORS, MAX_UNPACKED_BYTES, MAX_ZIP_BYTES, TABLES


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


# long: the package's checks (size, zip, descriptor, UTF-8 CSVs) in the order a package fails
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
