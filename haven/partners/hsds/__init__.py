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

The package: schema.py (the tables and fields), reading.py (the .zip into rows), checking.py
(values and references), importing.py (hsds_import), exporting.py (hsds_export).
"""

from haven.partners.hsds.exporting import hsds_export
from haven.partners.hsds.importing import hsds_import
from haven.partners.hsds.reading import ImportRefused, ImportResult, RowError
from haven.partners.hsds.schema import MAX_ZIP_BYTES, REQUIRED, TABLES

__all__ = [
    "MAX_ZIP_BYTES",
    "REQUIRED",
    "TABLES",
    "ImportRefused",
    "ImportResult",
    "RowError",
    "hsds_export",
    "hsds_import",
]
