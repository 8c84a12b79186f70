"""POST /api/v1/incidents/import/: the records system's nightly push, end to end with the sample
exports, as the import command's rules say (docs/api-import.md)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django_scopes import get_scope

from haven.audit.models import AuditAction, AuditEvent
from haven.incidents import api as incidents_api
from haven.incidents.models import (
    ImportRun,
    ImportStatus,
    Incident,
    IncidentOffense,
    IncidentPerson,
)
from haven.incidents.tests.conftest import sample, sample_text
from haven.integrations.tests.conftest import IMPORT_URL, push

pytestmark = pytest.mark.django_db

CHICAGO = sample_text("chicago.csv")
HEADER, *ROWS = CHICAGO.splitlines()


def chicago(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def snapshot():
    """Everything an import writes, to show that a push changed nothing."""
    return {
        "incidents": sorted(
            Incident.objects.values_list("agency_id", "report_number", "source_hash", "updated_at")
        ),
        "offenses": IncidentOffense.objects.count(),
        "people": IncidentPerson.objects.count(),
        "runs": ImportRun.objects.count(),
        "events": AuditEvent.objects.count(),
    }


@pytest.fixture
def rms(token_a, bearer):
    """The records system: the test client with agency A's token."""
    return bearer(token_a[1])


def test_a_nightly_push_imports_the_export_and_answers_with_the_counts(cast, rms, token_a):
    response = push(rms, CHICAGO, query="profile=chicago&file_name=crimes-2024-01-15.csv")

    assert response.status_code == 200, response.content
    body = response.json()
    run = ImportRun.objects.get()
    assert body == {
        "run": run.pk,
        "profile": "chicago",
        "dry_run": False,
        "strict": False,
        "rows": 10,
        "new": 9,
        "updated": 0,
        "unchanged": 0,
        "bad": 0,
        "bad_rows": [],
        "unmapped_codes": [{"code": "0820", "description": "THEFT: $500 AND UNDER", "count": 1}],
        "linked": body["linked"],
        "to_review": body["to_review"],
        "cases_opened": 0,  # 2024 reports: older than any outreach rule looks at
        "outreach_held": 0,
        "would_open": 0,
        "seconds": body["seconds"],
    }
    assert isinstance(body["seconds"], float)
    assert run.file_name == "crimes-2024-01-15.csv" and run.status == ImportStatus.COMPLETED
    assert (run.rows_read, run.incidents_new) == (10, 9)
    assert Incident.objects.filter(agency=cast.agency_a).count() == 9
    assert Incident.objects.get(report_number="JH100101").source_profile == "chicago"


def test_pushing_the_same_export_again_changes_nothing(cast, rms):
    push(rms, CHICAGO)
    incidents = sorted(Incident.objects.values_list("report_number", "source_hash", "updated_at"))

    response = push(rms, CHICAGO)

    body = response.json()
    assert response.status_code == 200
    assert (body["new"], body["updated"], body["unchanged"]) == (0, 0, 9)
    assert sorted(Incident.objects.values_list("report_number", "source_hash", "updated_at")) == (
        incidents
    )
    assert ImportRun.objects.count() == 2


def test_a_corrected_export_updates_in_place(cast, rms):
    push(rms, chicago(*ROWS[:3]))
    first = Incident.objects.get(report_number="JH100101")

    response = push(rms, chicago(ROWS[0].replace("APARTMENT", "RESIDENCE"), *ROWS[1:3]))

    body = response.json()
    assert (body["new"], body["updated"], body["unchanged"]) == (0, 1, 2)
    again = Incident.objects.get(report_number="JH100101")
    assert again.pk == first.pk and "RESIDENCE" in again.location


def test_a_dry_run_answers_the_counts_and_writes_nothing(cast, rms):
    push(rms, chicago(*ROWS[:3]))
    before = snapshot()

    response = push(rms, chicago(*ROWS[:5], "bad,row"), query="profile=chicago&dry_run=1")

    body = response.json()
    assert response.status_code == 200
    assert body["dry_run"] is True and body["run"] is None
    assert (body["rows"], body["new"], body["unchanged"], body["bad"]) == (6, 2, 3, 1)
    assert snapshot() == before


def test_bad_rows_are_listed_by_line_and_the_rest_import(cast, rms):
    text = chicago(ROWS[0], ROWS[1].replace("01/15/2024 02:05:00 AM", "2024-01-15 02:05"), ROWS[2])

    response = push(rms, text)

    body = response.json()
    assert response.status_code == 200
    assert (body["new"], body["bad"]) == (2, 1)
    [bad] = body["bad_rows"]
    assert bad["line"] == 3 and "does not match the format" in bad["reason"]
    assert ImportRun.objects.get().errors[0]["line"] == 3
    assert Incident.objects.count() == 2


def test_strict_with_a_bad_row_writes_nothing_and_says_so(cast, rms):
    before = snapshot()
    text = chicago(ROWS[0], ROWS[1].replace("01/15/2024", "15/01/2024"), ROWS[2])

    response = push(rms, text, query="profile=chicago&strict=1")

    body = response.json()
    assert response.status_code == 422
    assert body["detail"].startswith("Nothing imported: 1 of 3 rows are bad (strict)")
    assert body["strict"] is True and body["run"] is None and body["bad_rows"][0]["line"] == 3
    assert snapshot() == before


def test_strict_with_every_row_good_imports_everything(cast, rms):
    response = push(rms, CHICAGO, query="profile=chicago&strict=true")

    assert response.status_code == 200 and response.json()["new"] == 9
    assert Incident.objects.count() == 9


def test_json_lines_are_pushed_with_their_content_type(cast, rms):
    response = push(
        rms,
        sample("nibrs.jsonl").read_bytes(),
        query="profile=nibrs",
        content_type="application/x-ndjson",
    )

    assert response.status_code == 200, response.content
    assert response.json()["new"] == Incident.objects.filter(source_profile="nibrs").count() > 0


def test_a_multipart_upload_is_accepted_in_the_file_field(cast, rms):
    upload = SimpleUploadedFile("crimes.csv", CHICAGO.encode(), content_type="text/csv")

    response = rms("post", f"{IMPORT_URL}?profile=chicago", {"file": upload})

    assert response.status_code == 200, response.content
    assert response.json()["new"] == 9
    assert ImportRun.objects.get().file_name == "crimes.csv"


def test_a_multipart_form_without_the_file_field_is_a_400(cast, rms):
    response = rms("post", f"{IMPORT_URL}?profile=chicago", {"export": "x"})

    assert response.status_code == 400 and "file" in response.json()
    assert not ImportRun.objects.exists()


def test_another_body_type_is_a_415_saying_what_to_send(cast, rms):
    response = push(rms, "a=b", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert "text/csv" in response.json()["detail"]
    assert not ImportRun.objects.exists()


# Size


@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_body_over_the_size_cap_is_a_413_and_nothing_is_read(cast, rms):
    assert len(CHICAGO.encode()) > 1000

    response = push(rms, CHICAGO)

    assert response.status_code == 413
    assert "1,000 bytes" in response.json()["detail"]
    assert "HAVEN_IMPORT_MAX_BYTES" in response.json()["detail"]
    assert not Incident.objects.exists() and not ImportRun.objects.exists()


@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_multipart_upload_over_the_size_cap_is_a_413(cast, rms):
    upload = SimpleUploadedFile("crimes.csv", CHICAGO.encode(), content_type="text/csv")

    response = rms("post", f"{IMPORT_URL}?profile=chicago", {"file": upload})

    assert response.status_code == 413
    assert not ImportRun.objects.exists()


def test_a_body_past_the_memory_spool_goes_through_a_temporary_file(cast, rms, monkeypatch):
    monkeypatch.setattr(incidents_api, "SPOOL_IN_MEMORY", 100)
    monkeypatch.setattr(incidents_api, "CHUNK", 64)

    response = push(rms, CHICAGO)

    assert response.status_code == 200 and response.json()["new"] == 9
    assert Incident.objects.count() == 9


# Profiles


@pytest.mark.parametrize(
    "query",
    [
        "profile=",
        "",
        "profile=denver",
        "profile=../tests/data/riverside-rms",
        f"profile={sample('riverside-rms.toml')}",  # an absolute path
        "profile=chicago.toml",
    ],
)
def test_only_a_profile_by_known_name_is_taken_never_a_path(cast, rms, query):
    response = push(rms, sample_text("riverside-rms.csv"), query=query)

    assert response.status_code == 400
    assert "chicago, dc, lapd, nibrs, nypd-shootings, sfpd" in response.json()["profile"][0]
    assert not ImportRun.objects.exists() and not Incident.objects.exists()


def test_a_profile_the_operator_configured_is_taken_by_its_name(cast, rms):
    path = sample("riverside-rms.toml")
    with override_settings(IMPORT_PROFILES=[str(path)]):
        response = push(rms, sample_text("riverside-rms.csv"), query="profile=riverside-rms")

    assert response.status_code == 200, response.content
    assert response.json()["new"] == 1
    incident = Incident.objects.get(report_number="RV24-00731")
    assert incident.agency == cast.agency_a and incident.domestic_violence


def test_a_configured_profile_that_does_not_load_is_a_400(cast, rms, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "broken"\n[report]\nnumbr = "x"\n')
    with override_settings(IMPORT_PROFILES=[str(broken)]):
        response = push(rms, CHICAGO, query="profile=broken")

    assert response.status_code == 400
    assert "unknown key 'numbr'" in response.json()["detail"]
    assert not ImportRun.objects.exists()


def test_an_export_the_profile_does_not_fit_is_a_400_naming_the_columns(cast, rms):
    response = push(rms, CHICAGO, query="profile=lapd")

    assert response.status_code == 400
    assert "is it the right profile for this export?" in response.json()["detail"]
    assert not Incident.objects.exists()


def test_a_flag_that_is_not_yes_or_no_is_a_400(cast, rms):
    response = push(rms, CHICAGO, query="profile=chicago&dry_run=maybe")

    assert response.status_code == 400 and "dry_run" in response.json()
    assert not ImportRun.objects.exists()


# Who may push


def test_a_signed_in_coordinator_can_push_too(cast, client_as, new_audit_events):
    response = client_as("coordinator").post(
        f"{IMPORT_URL}?profile=chicago", CHICAGO.encode(), content_type="text/csv"
    )

    assert response.status_code == 200, response.content
    assert response.json()["new"] == 9
    assert ImportRun.objects.get().actor_label == "cora"
    event = new_audit_events(action=AuditAction.INCIDENT_IMPORT)[-1]
    assert event.actor_id == cast.coordinator.user_id and event.role == "coordinator"


@pytest.mark.parametrize("role", ["advocate", "supervisor", "officer", "analyst", "auditor"])
def test_staff_without_the_import_permission_are_refused(cast, client_as, role):
    response = client_as(role).post(
        f"{IMPORT_URL}?profile=chicago", CHICAGO.encode(), content_type="text/csv"
    )

    assert response.status_code == 403
    assert not Incident.objects.exists() and not ImportRun.objects.exists()


def test_the_push_runs_inside_the_tokens_agency_scope(cast, rms, monkeypatch):
    seen = {}
    real = incidents_api.incidents_import

    def spy(**kwargs):
        seen["scope"] = dict(get_scope())
        return real(**kwargs)

    monkeypatch.setattr(incidents_api, "incidents_import", spy)

    response = push(rms, CHICAGO)

    assert response.status_code == 200
    assert seen["scope"]["agency"] == cast.agency_a.pk and seen["scope"]["_enabled"]


def test_only_post_is_answered(cast, rms):
    assert rms("get", IMPORT_URL).status_code == 405
    assert not ImportRun.objects.exists()


def test_a_push_that_breaks_part_way_names_its_failed_run_and_what_stays(cast, rms):
    """Decided: a push is written batch by batch, like the command. A file refused as a whole
    (columns, encoding) writes nothing; one that breaks part-way keeps the batches before the
    break, and the answer names the failed run with what they wrote."""
    good = [
        ROWS[0].replace("JH100101", f"JH7{i:05}").replace("13362931", f"4{i:07}")
        for i in range(2100)
    ]
    broken = f'45999999,JH799999,"{"x" * 140_000}"'
    response = push(rms, chicago(*good, broken), query="profile=chicago")

    assert response.status_code == 400
    body = response.json()
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert body["run"] == run.pk and body["new"] == 2000  # the first batch, written
    assert "the CSV cannot be read" in body["detail"] and f"Import run {run.pk}" in body["detail"]
    assert Incident.objects.count() == 2000


def test_a_file_in_another_encoding_far_down_writes_nothing(cast, rms):
    body = chicago(*ROWS).encode() + b"45999999,JH799999,\xe9t\xe9\n"
    response = push(rms, body, query="profile=chicago")

    assert response.status_code == 400
    assert "Near line 12: the bytes are not utf-8-sig" in response.json()["detail"]
    assert "run" not in response.json()
    assert snapshot()["runs"] == 0 and Incident.objects.count() == 0
