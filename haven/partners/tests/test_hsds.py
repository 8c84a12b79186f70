"""HSDS data packages: export, import, round trip, idempotence, and bad rows refused whole."""

import csv
import io
import json
import uuid
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from haven.audit.models import AuditAction
from haven.core.actor import Actor
from haven.partners import hsds
from haven.partners.models import (
    MOU,
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
from haven.partners.tests.helpers import build_directory

MODELS = [
    Organization,
    Service,
    Location,
    Address,
    ServiceAtLocation,
    Contact,
    Phone,
    Schedule,
    Language,
    ServiceArea,
    ServiceNeed,
]

ORG = str(uuid.uuid4())
SERVICE = str(uuid.uuid4())


def package(tables: dict[str, list[dict]], *, descriptor=True) -> bytes:
    """A .zip data package from {table: [row dicts]}; the header is the union of the keys."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if descriptor:
            resources = [{"name": name, "path": f"{name}.csv"} for name in tables]
            archive.writestr("datapackage.json", json.dumps({"resources": resources}))
        for name, rows in tables.items():
            header = list(dict.fromkeys(k for row in rows for k in row)) or ["id"]
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(f"{name}.csv", out.getvalue())
    return buffer.getvalue()


def counts(agency) -> dict:
    return {m.__name__: m.objects.filter(agency=agency).count() for m in MODELS}


def snapshot(agency) -> dict:
    """What the directory says, by HSDS ids: equal snapshots are equal directories."""
    out = {}
    for model in MODELS:
        rows = []
        for obj in model.objects.filter(agency=agency):
            row = {}
            for f in model._meta.concrete_fields:
                # is_active is Haven's own flag (HSDS has none for organizations).
                if f.name in ("id", "agency", "created_at", "updated_at", "is_active"):
                    continue
                value = getattr(obj, f.name)
                row[f.name] = getattr(value, "hsds_id", value)
            rows.append(row)
        out[model.__name__] = sorted(rows, key=lambda r: str(r["hsds_id"]))
    return out


def test_an_export_imports_into_another_agency_as_the_same_directory(cast):
    build_directory(cast.agency_a)
    data = hsds.hsds_export(actor=Actor.system(cast.agency_a, "test"))

    result = hsds.hsds_import(actor=Actor.system(cast.agency_b, "test"), data=data)

    assert snapshot(cast.agency_b) == snapshot(cast.agency_a)
    assert result.created["organization"] == 3
    assert result.created["attribute"] == ServiceNeed.objects.filter(agency=cast.agency_a).count()
    assert not result.updated and not result.removed


def test_the_export_is_an_hsds_data_package(cast):
    build_directory(cast.agency_a)
    data = hsds.hsds_export(actor=Actor.system(cast.agency_a, "test"))

    archive = zipfile.ZipFile(io.BytesIO(data))
    descriptor = json.loads(archive.read("datapackage.json"))
    names = [r["name"] for r in descriptor["resources"]]
    assert {
        "organization",
        "service",
        "location",
        "address",
        "service_at_location",
        "phone",
        "schedule",
        "language",
        "service_area",
        "contact",
        "taxonomy",
        "taxonomy_term",
        "attribute",
    } <= set(names)
    for resource in descriptor["resources"]:
        header = next(csv.reader(io.StringIO(archive.read(resource["path"]).decode())))
        assert header == [f["name"] for f in resource["schema"]["fields"]]
    services = list(csv.DictReader(io.StringIO(archive.read("service.csv").decode())))
    beds = next(s for s in services if s["name"] == "Emergency shelter")
    assert beds["status"] == "active"
    assert beds["minimum_age"] == "18"
    assert "domestic violence" in beds["eligibility_description"]
    schedules = list(csv.DictReader(io.StringIO(archive.read("schedule.csv").decode())))
    assert {"byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00"}.items() <= next(
        s for s in schedules if s["byday"]
    ).items()
    terms = list(csv.DictReader(io.StringIO(archive.read("taxonomy_term.csv").decode())))
    assert "shelter" in {t["code"] for t in terms}


def test_importing_the_same_package_again_changes_nothing(cast, new_audit_events):
    build_directory(cast.agency_a)
    data = hsds.hsds_export(actor=Actor.system(cast.agency_a, "test"))
    actor_b = Actor.system(cast.agency_b, "test")
    hsds.hsds_import(actor=actor_b, data=data)
    before = snapshot(cast.agency_b)

    again = hsds.hsds_import(actor=actor_b, data=data)

    assert snapshot(cast.agency_b) == before
    assert again.summary() == "nothing to change"
    imports = new_audit_events(action=AuditAction.PARTNER_IMPORT)
    assert len(imports) == 2 and imports[-1].agency_id == cast.agency_b.pk


def test_a_reimport_updates_rows_by_their_hsds_ids_and_drops_removed_details(cast):
    actor = Actor.system(cast.agency_a, "test")
    d = build_directory(cast.agency_a)
    archive = zipfile.ZipFile(io.BytesIO(hsds.hsds_export(actor=actor)))
    tables = {
        n[:-4]: list(csv.DictReader(io.StringIO(archive.read(n).decode())))
        for n in archive.namelist()
        if n.endswith(".csv")
    }
    for row in tables["service"]:
        if row["name"] == "Emergency shelter":
            row["name"] = "Emergency shelter and hotel vouchers"
    beds_id = str(d["beds"].hsds_id)
    tables["language"] = [
        r for r in tables["language"] if not (r["service_id"] == beds_id and r["code"] == "es")
    ]

    result = hsds.hsds_import(actor=actor, data=package(tables))

    beds = Service.objects.get(pk=d["beds"].pk)
    assert beds.name == "Emergency shelter and hotel vouchers"
    assert set(beds.languages.values_list("code", flat=True)) == {"en"}
    assert result.updated["service"] == 1
    assert result.removed["language"] == 1
    assert Organization.objects.filter(agency=cast.agency_a).count() == 3


def test_bad_rows_are_reported_with_file_line_and_field_and_nothing_is_written(
    cast, new_audit_events
):
    before = counts(cast.agency_a)
    data = package(
        {
            "organization": [
                {"id": ORG, "name": "Good Org", "email": "ok@example.org"},
                {"id": "not-a-uuid", "name": "Bad id"},
                {"id": str(uuid.uuid4()), "name": "", "website": "ftp://nope"},
            ],
            "service": [
                {"id": SERVICE, "organization_id": ORG, "name": "Fine", "status": "active"},
                {"id": str(uuid.uuid4()), "organization_id": ORG, "name": "X", "status": "open"},
                {"id": str(uuid.uuid4()), "organization_id": str(uuid.uuid4()), "name": "Orphan"},
                {"id": SERVICE, "organization_id": ORG, "name": "Twice"},
            ],
            "schedule": [
                {
                    "id": str(uuid.uuid4()),
                    "service_id": SERVICE,
                    "byday": "MO,XX",
                    "opens_at": "25:00",
                    "closes_at": "17:00",
                },
            ],
        }
    )

    with pytest.raises(hsds.ImportRefused) as refused:
        hsds.hsds_import(actor=Actor.system(cast.agency_a, "test"), data=data)

    found = {(e.file, e.line, e.field) for e in refused.value.errors}
    assert ("organization.csv", 3, "id") in found
    assert ("organization.csv", 4, "name") in found
    assert ("organization.csv", 4, "website") in found
    assert ("service.csv", 3, "status") in found
    assert ("service.csv", 4, "organization_id") in found
    assert ("service.csv", 5, "id") in found
    assert ("schedule.csv", 2, "byday") in found
    assert ("schedule.csv", 2, "opens_at") in found
    assert "organization.csv, line 3, id: 'not-a-uuid' is not a UUID." in map(
        str, refused.value.errors
    )
    assert counts(cast.agency_a) == before
    assert new_audit_events(action=AuditAction.PARTNER_IMPORT) == []


def test_a_zip_without_a_datapackage_descriptor_is_refused(cast):
    data = package({"organization": [{"id": ORG, "name": "Org"}]}, descriptor=False)

    with pytest.raises(hsds.ImportRefused, match="1 problem") as refused:
        hsds.hsds_import(actor=Actor.system(cast.agency_a, "test"), data=data)

    assert "datapackage.json is missing" in str(refused.value.errors[0])
    assert not Organization.objects.filter(agency=cast.agency_a).exists()


def test_a_file_that_is_not_a_zip_is_refused(cast):
    with pytest.raises(hsds.ImportRefused) as refused:
        hsds.hsds_import(actor=Actor.system(cast.agency_a, "test"), data=b"name,id\n")
    assert "not a .zip" in str(refused.value.errors[0])


def test_terms_of_other_taxonomies_and_location_languages_are_skipped_not_refused(cast):
    other_tax, other_term = str(uuid.uuid4()), str(uuid.uuid4())
    data = package(
        {
            "organization": [{"id": ORG, "name": "Org"}],
            "service": [{"id": SERVICE, "organization_id": ORG, "name": "Svc"}],
            "language": [
                {"id": str(uuid.uuid4()), "service_id": SERVICE, "name": "Spanish"},
                {"id": str(uuid.uuid4()), "location_id": "", "phone_id": "", "code": "fr"},
            ],
            "taxonomy": [{"id": other_tax, "name": "AIRS", "description": "211"}],
            "taxonomy_term": [
                {"id": other_term, "code": "BH-1800", "name": "Shelter", "taxonomy_id": other_tax},
                {"id": str(uuid.uuid4()), "code": "legal_aid", "name": "Legal aid"},
            ],
            "attribute": [
                {
                    "id": str(uuid.uuid4()),
                    "link_id": SERVICE,
                    "taxonomy_term_id": other_term,
                    "link_entity": "service",
                },
            ],
        }
    )

    result = hsds.hsds_import(actor=Actor.system(cast.agency_a, "test"), data=data)

    svc = Service.objects.get(agency=cast.agency_a, hsds_id=SERVICE)
    assert list(svc.languages.values_list("code", flat=True)) == ["es"]
    assert not svc.needs.exists()
    assert result.skipped == {"attribute": 1, "language": 1}


def test_a_location_takes_its_organization_from_the_service_offered_there(cast):
    loc = str(uuid.uuid4())
    data = package(
        {
            "organization": [{"id": ORG, "name": "Org"}],
            "service": [{"id": SERVICE, "organization_id": ORG, "name": "Svc"}],
            "location": [{"id": loc, "location_type": "physical", "name": "Site"}],
            "service_at_location": [
                {"id": str(uuid.uuid4()), "service_id": SERVICE, "location_id": loc}
            ],
            "address": [
                {
                    "id": str(uuid.uuid4()),
                    "location_id": loc,
                    "address_1": "1 Elm St",
                    "city": "Aurora",
                    "state_province": "IL",
                    "postal_code": "60505",
                    "country": "US",
                    "address_type": "physical",
                },
            ],
        }
    )

    hsds.hsds_import(actor=Actor.system(cast.agency_a, "test"), data=data)

    site = Location.objects.get(agency=cast.agency_a, hsds_id=loc)
    assert site.organization.hsds_id == uuid.UUID(ORG)
    assert site.addresses.get().city == "Aurora"


def test_the_commands_export_and_import_a_package(cast, tmp_path, capsys):
    build_directory(cast.agency_a)
    out = tmp_path / "directory.zip"

    call_command("partners_export", "--agency", "riverside", "--out", str(out))
    call_command("partners_import", "--agency", "lakeside", str(out))

    assert "Imported into lakeside: added" in capsys.readouterr().out
    assert snapshot(cast.agency_b) == snapshot(cast.agency_a)
    assert not MOU.objects.filter(agency=cast.agency_b).exists()  # MOUs are not HSDS


def test_the_import_command_lists_bad_rows_and_fails(cast, tmp_path, capsys):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(package({"organization": [{"id": "x", "name": "Org"}]}))

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("partners_import", "--agency", "riverside", str(bad))

    assert "organization.csv, line 2, id" in capsys.readouterr().err
    assert not Organization.objects.filter(agency=cast.agency_a).exists()


def test_only_coordinators_import_and_export(cast):
    from django.core.exceptions import PermissionDenied

    for role in ("advocate", "supervisor", "officer", "analyst", "auditor"):
        with pytest.raises(PermissionDenied):
            hsds.hsds_export(actor=cast.actor(role))
        with pytest.raises(PermissionDenied):
            hsds.hsds_import(actor=cast.actor(role), data=b"")


def test_bad_detail_rows_are_reported_too(cast):
    loc = str(uuid.uuid4())
    data = package(
        {
            "organization": [{"id": ORG, "name": "Org"}],
            "service": [
                {
                    "id": SERVICE,
                    "organization_id": ORG,
                    "name": "Svc",
                    "minimum_age": "40",
                    "maximum_age": "12",
                }
            ],
            "location": [{"id": loc, "organization_id": ORG, "latitude": "123"}],
            "address": [
                {
                    "id": str(uuid.uuid4()),
                    "location_id": loc,
                    "address_1": "1 A St",
                    "city": "Aurora",
                    "state_province": "IL",
                    "postal_code": "",
                }
            ],
            "phone": [
                {"id": str(uuid.uuid4()), "organization_id": ORG, "number": "12"},
                {"id": str(uuid.uuid4()), "number": "(312) 555-0100"},
            ],
            "language": [{"id": str(uuid.uuid4()), "service_id": SERVICE, "code": "spanish!"}],
            "attribute": [
                {"id": str(uuid.uuid4()), "link_id": SERVICE, "taxonomy_term_id": str(uuid.uuid4())}
            ],
            "schedule": [{"id": str(uuid.uuid4()), "byday": "MO", "opens_at": "09:00"}],
        }
    )

    with pytest.raises(hsds.ImportRefused) as refused:
        hsds.hsds_import(actor=Actor.system(cast.agency_a, "test"), data=data)

    found = {(e.file, e.line, e.field) for e in refused.value.errors}
    assert found == {
        ("service.csv", 2, "maximum_age"),
        ("location.csv", 2, "latitude"),
        ("address.csv", 2, "postal_code"),
        ("phone.csv", 2, "number"),
        ("phone.csv", 3, "organization_id"),
        ("language.csv", 2, "code"),
        ("attribute.csv", 2, "taxonomy_term_id"),
        ("schedule.csv", 2, "closes_at"),
        ("schedule.csv", 2, "service_id"),
    }
    assert not Organization.objects.filter(agency=cast.agency_a).exists()


def test_a_damaged_csv_is_refused_with_its_file(cast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("datapackage.json", json.dumps({"resources": [{"name": "organization"}]}))
        archive.writestr("organization.csv", "id,name\n" + f'{ORG},"x{"y" * 200_000}"\n')

    with pytest.raises(hsds.ImportRefused) as refused:
        hsds.hsds_import(actor=Actor.system(cast.agency_a, "test"), data=buffer.getvalue())

    assert refused.value.errors[0].file == "organization.csv"
    assert not Organization.objects.filter(agency=cast.agency_a).exists()


def test_an_export_holds_only_the_agencys_own_directory(cast, new_audit_events):
    build_directory(cast.agency_a)
    build_directory(cast.agency_b, prefix="Lakeside ")

    data = hsds.hsds_export(actor=cast.actor("coordinator"))

    archive = zipfile.ZipFile(io.BytesIO(data))
    text = "".join(archive.read(n).decode() for n in archive.namelist())
    assert "Safe Harbor Shelter" in text and "Lakeside" not in text
    [event] = new_audit_events(action=AuditAction.PARTNER_EXPORT)
    assert event.agency_id == cast.agency_a.pk and event.details["organization"] == 3
