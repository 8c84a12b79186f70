"""The HSDS 3.x tables and fields Haven reads and writes, the fields each requires, the field
lengths, and the package's size limits (the shape of a package; see __init__ for the rules)."""

from __future__ import annotations

import zipfile
import zlib

from haven.partners.models import (
    Address,
    Contact,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
)

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
