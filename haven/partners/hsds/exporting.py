"""Exporting the agency's directory as an HSDS tabular data package (hsds_export), which
hsds_import reads back."""

from __future__ import annotations

import io
import json
import zipfile

from django.db import transaction
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.lib.spreadsheet import csv_writer
from haven.partners import needs as needs_data
from haven.partners.hsds.schema import TABLES
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
    ServiceAtLocation,
    ServiceNeed,
)

# --- export --------------------------------------------------------------------------------


Rows = dict[str, list[list[str]]]  # table -> its CSV rows, in TABLES' column order


def hsds_export(*, actor: Actor) -> bytes:
    """The agency's whole directory as an HSDS tabular data package (.zip bytes), which
    hsds_import reads back. Needs partners.manage; audited as partner.export with the counts."""
    actor.require(Perm.PARTNERS_MANAGE)
    agency = actor.agency
    rows: Rows = {name: [] for name in TABLES}
    for add in (_organizations_and_services, _locations, _phones_and_schedules, _service_details):
        add(agency, rows)
    data = _zip(agency, rows)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_EXPORT,
            details={name: len(r) for name, r in rows.items() if r},
        )
    return data


def _u(value) -> str:  # a cell: empty for None
    return "" if value is None else str(value)


def _t(value) -> str:  # a time cell, HH:MM
    return value.strftime("%H:%M") if value else ""


def _organizations_and_services(agency, rows: Rows) -> None:
    """The organization and service tables."""
    for o in Organization.objects.filter(agency=agency).order_by("name", "id"):
        rows["organization"].append(
            [_u(o.hsds_id), o.name, o.alternate_name, o.description, o.email, o.website]
        )
    for s in Service.objects.filter(agency=agency).select_related("organization").order_by("id"):
        rows["service"].append(
            [
                _u(s.hsds_id),
                _u(s.organization.hsds_id),
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
                _u(s.minimum_age),
                _u(s.maximum_age),
                timezone.localtime(s.updated_at).isoformat(timespec="milliseconds"),
            ]
        )


def _locations(agency, rows: Rows) -> None:
    """Locations, their addresses, the services at each, and the contacts."""
    for loc in Location.objects.filter(agency=agency).select_related("organization").order_by("id"):
        rows["location"].append(
            [
                _u(loc.hsds_id),
                loc.location_type,
                loc.url,
                _u(loc.organization.hsds_id),
                loc.name,
                loc.description,
                loc.transportation,
                _u(loc.latitude),
                _u(loc.longitude),
            ]
        )
    for a in Address.objects.filter(agency=agency).select_related("location").order_by("id"):
        rows["address"].append(
            [
                _u(a.hsds_id),
                _u(a.location.hsds_id),
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
            [_u(sal.hsds_id), _u(sal.service.hsds_id), _u(sal.location.hsds_id), sal.description]
        )
    for c in (
        Contact.objects.filter(agency=agency)
        .select_related("organization", "service")
        .order_by("id")
    ):
        rows["contact"].append(
            [
                _u(c.hsds_id),
                _u(c.organization.hsds_id),
                _u(c.service.hsds_id) if c.service else "",
                c.name,
                c.title,
                c.department,
                c.email,
            ]
        )


def _phones_and_schedules(agency, rows: Rows) -> None:
    """Phones and opening hours."""
    for p in (
        Phone.objects.filter(agency=agency)
        .select_related("organization", "service", "location", "contact")
        .order_by("id")
    ):
        owned = p.service or p.location or p.contact
        rows["phone"].append(
            [
                _u(p.hsds_id),
                _u(p.location.hsds_id) if p.location else "",
                _u(p.service.hsds_id) if p.service else "",
                "" if owned else _u(p.organization.hsds_id),
                _u(p.contact.hsds_id) if p.contact else "",
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
                _u(sc.hsds_id),
                _u(sc.service.hsds_id) if sc.service else "",
                _u(sc.location.hsds_id) if sc.location else "",
                "",
                _u(sc.valid_from),
                _u(sc.valid_to),
                sc.freq,
                sc.byday,
                _t(sc.opens_at),
                _t(sc.closes_at),
                sc.description,
            ]
        )


def _service_details(agency, rows: Rows) -> None:
    """Languages, service areas, and the need categories (a taxonomy, its terms, attributes)."""
    for lang in Language.objects.filter(agency=agency).select_related("service").order_by("id"):
        rows["language"].append(
            [_u(lang.hsds_id), _u(lang.service.hsds_id), "", "", lang.name, lang.code, lang.note]
        )
    for area in ServiceArea.objects.filter(agency=agency).select_related("service").order_by("id"):
        rows["service_area"].append(
            [_u(area.hsds_id), _u(area.service.hsds_id), "", area.name, area.description]
        )
    tax = needs_data.taxonomy()
    rows["taxonomy"].append(
        [_u(needs_data.TAXONOMY_ID), tax["name"], tax["description"], "", tax["version"]]
    )
    for code, name, description in needs_data.all_needs():
        rows["taxonomy_term"].append(
            [
                _u(needs_data.term_id(code)),
                code,
                name,
                description,
                "",
                tax["name"],
                _u(needs_data.TAXONOMY_ID),
                "",
            ]
        )
    for need in ServiceNeed.objects.filter(agency=agency).select_related("service").order_by("id"):
        rows["attribute"].append(
            [
                _u(need.hsds_id),
                _u(need.service.hsds_id),
                _u(needs_data.term_id(need.code)),
                "service_category",
                "service",
                "",
                need.get_code_display(),
            ]
        )


def _zip(agency, rows: Rows) -> bytes:
    """The package: datapackage.json and one CSV per table, in a .zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(_descriptor(agency), indent=2))
        for name, fields in TABLES.items():
            out = io.StringIO(newline="")
            writer = csv_writer(out, lineterminator="\r\n")  # cells neutralized (formulas)
            writer.writerow([f for f, _, _ in fields])
            writer.writerows(rows[name])
            archive.writestr(f"{name}.csv", out.getvalue())
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
