"""Importing a checked package: hsds_import, and the writer that updates rows by their HSDS ids and
removes a parent's details the package no longer lists, in one transaction."""

from __future__ import annotations

from django.db import transaction

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.partners import needs as needs_data
from haven.partners.hsds.checking import _check_references, _check_rows, _Refs
from haven.partners.hsds.reading import ImportRefused, ImportResult, _read_package
from haven.partners.hsds.schema import MAX_ERRORS, TABLES
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
from haven.partners.services import LANGUAGE_NAMES

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
        """The details of the package's organizations, services and locations, table by table."""
        pkg_orgs = [r.values["id"] for r in self.rows("organization")]
        pkg_services = [r.values["id"] for r in self.rows("service")]
        pkg_locations = [r.values["id"] for r in self.rows("location")]
        self._address_rows(pkg_locations)
        self._service_at_location_rows(pkg_services)
        self._contact_rows(pkg_orgs)
        self._phone_rows(pkg_orgs)
        self._schedule_rows(pkg_services)
        self._language_rows(pkg_services)
        self._service_area_rows(pkg_services)
        self._needs(pkg_services)

    def _address_rows(self, pkg_locations):
        """The package's address rows; those of its locations it no longer lists go."""
        s = self._s
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

    def _service_at_location_rows(self, pkg_services):
        """The package's service_at_location rows; those of its services it no longer lists go."""
        s = self._s
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

    def _contact_rows(self, pkg_orgs):
        """The package's contact rows; those of its organizations it no longer lists go."""
        s = self._s
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

    def _phone_rows(self, pkg_orgs):
        """The package's phone rows; those of its organizations it no longer lists go."""
        s = self._s
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

    def _schedule_rows(self, pkg_services):
        """The package's schedule rows; those of its services it no longer lists go."""
        s = self._s
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

    def _language_rows(self, pkg_services):
        """The package's language rows; those of its services it no longer lists go."""
        s = self._s
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

    def _service_area_rows(self, pkg_services):
        """The package's service_area rows; those of its services it no longer lists go."""
        s = self._s
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
