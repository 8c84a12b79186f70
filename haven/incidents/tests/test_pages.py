"""The import pages (upload, the import log, one run) and the review list of possible matches,
as each role uses them: what they show, what they refuse, what they change."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.audit.models import AuditAction, AuditEvent
from haven.incidents import forms as incident_forms
from haven.incidents import tasks
from haven.incidents.models import (
    ImportRun,
    ImportStatus,
    Incident,
    IncidentPerson,
    LinkSource,
    MatchCandidate,
    MatchStatus,
)
from haven.incidents.tests.conftest import sample, sample_text
from haven.incidents.tests.test_matching import victim_line
from haven.people.services import person_create

pytestmark = pytest.mark.django_db

NOT_IMPORTERS = ["advocate", "supervisor", "officer", "analyst", "auditor"]
NOT_REVIEWERS = ["officer", "analyst", "auditor"]


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    """Uploads wait in the test's own folder, so a test can see that none is left behind."""
    settings.VAR_DIR = tmp_path
    return tmp_path / "imports"


def upload(client, name: str, content: bytes, profile: str, **flags):
    data = {"profile": profile, "file": SimpleUploadedFile(name, content)}  # the page's order
    data |= {flag: "on" for flag, on in flags.items() if on}
    return client.post(reverse("incidents:new"), data)


def chicago_rows(*rows: str) -> bytes:
    header = sample_text("chicago.csv").splitlines()[0]
    return ("\n".join([header, *rows]) + "\n").encode()


def chicago_row(number: str, when: str = "01/14/2024 11:40:00 PM") -> str:
    first = sample_text("chicago.csv").splitlines()[1].split(",")
    first[1], first[2] = number, when
    return ",".join(first)


# --- the import log -------------------------------------------------------------------------


def test_a_coordinator_sees_the_import_log_with_counts_and_it_is_audited(
    client_as, cast, run_import
):
    run_import(cast.agency_a, "chicago", sample("chicago.csv"))
    run = ImportRun.objects.get()

    response = client_as("coordinator").get(reverse("incidents:runs"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "chicago.csv" in page and "manage.py import_incidents" in page
    assert "9 / 0 / 0" in page  # new / updated / unchanged
    assert reverse("incidents:run", args=[run.pk]) in page
    event = AuditEvent.objects.filter(action=AuditAction.IMPORT_RUNS_VIEW).latest("id")
    assert (event.actor_label, event.details) == ("cora", {"page": 1, "shown": [run.pk]})


def test_the_import_log_pages_at_50_runs_in_a_fixed_number_of_queries(client_as, cast):
    def make_runs(count):
        ImportRun.objects.bulk_create(
            ImportRun(
                agency=cast.agency_a, profile="chicago", file_name=f"{i}.csv", actor_label="x"
            )
            for i in range(count)
        )

    client = client_as("coordinator")
    make_runs(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("incidents:runs"))
    make_runs(60)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("incidents:runs"))

    assert len(many) == len(few)
    assert "Page 1 of 2" in response.content.decode()
    second = client.get(reverse("incidents:runs"), {"page": 2})
    assert second.content.decode().count('data-label="Started"') == 12
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT_RUNS_VIEW).count() == 3


def test_a_run_page_lists_its_bad_rows_and_is_audited(client_as, cast, run_import):
    content = chicago_rows(chicago_row("JH200001"), chicago_row("JH200002", "2024-01-15 02:05"))
    run_import(cast.agency_a, "chicago", content.decode())
    run = ImportRun.objects.get()

    response = client_as("coordinator").get(reverse("incidents:run", args=[run.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Completed" in page and "Refresh" not in response.headers
    assert (
        "does not match the format" in page and '<th scope="row" data-label="Line">3</th>' in page
    )
    assert (run.rows_read, run.rows_bad, run.incidents_new) == (2, 1, 1)
    event = AuditEvent.objects.filter(action=AuditAction.IMPORT_RUNS_VIEW).latest("id")
    assert (event.object_type, event.object_id) == ("incidents.importrun", str(run.pk))


def test_every_refused_row_downloads_as_csv_from_the_run_page(client_as, cast, run_import):
    rows = [chicago_row(f"JH2{i:05}", "2024-01-15 02:05") for i in range(505)]
    run_import(cast.agency_a, "chicago", chicago_rows(chicago_row("JH100001"), *rows).decode())
    run = ImportRun.objects.get()
    client = client_as("coordinator")

    page = client.get(reverse("incidents:run", args=[run.pk])).content.decode()
    download = client.get(reverse("incidents:run_rejects", args=[run.pk]))

    assert "505 of 506 rows were refused" in page and "The first 500 are below." in page
    assert reverse("incidents:run_rejects", args=[run.pk]) in page
    # The offense code the chicago profile gives no NIBRS code, listed with its count.
    assert '<th scope="row">0486</th>' not in page  # domestic battery: mapped (13B)
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="import-{run.pk}-refused-rows.csv"' in download["Content-Disposition"]
    lines = b"".join(download.streaming_content).decode().splitlines()
    assert lines[0] == "line,reason" and len(lines) == 506
    assert lines[1].startswith("3,Date '2024-01-15 02:05' does not match the format")
    assert lines[-1].startswith("507,")
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.IMPORT_RUNS_VIEW, object_id=str(run.pk)
        ).count()
        == 2
    )


def test_the_run_page_lists_the_offense_codes_without_a_nibrs_code(client_as, cast, run_import):
    run_import(cast.agency_a, "lapd", sample("lapd-real.csv"))
    run = ImportRun.objects.get()

    page = client_as("coordinator").get(reverse("incidents:run", args=[run.pk])).content
    page = page.decode()

    assert "Offense codes without a NIBRS code" in page
    assert '<th scope="row">761</th><td>BRANDISH WEAPON</td><td>30</td>' in page


@pytest.mark.parametrize("role", ["advocate", "analyst"])
def test_the_refused_rows_download_needs_the_import_permission(client_as, cast, run_import, role):
    run_import(cast.agency_a, "chicago", chicago_rows(chicago_row("JH1"), "x,y").decode())
    run = ImportRun.objects.get()

    response = client_as(role).get(reverse("incidents:run_rejects", args=[run.pk]))

    assert response.status_code == 403


def test_another_agencys_refused_rows_are_not_found(client_as, cast, run_import):
    run_import(cast.agency_b, "chicago", chicago_rows(chicago_row("JH1"), "x,y").decode())
    run_b = ImportRun.objects.get()

    response = client_as("coordinator").get(reverse("incidents:run_rejects", args=[run_b.pk]))

    assert response.status_code == 404


def test_a_failed_run_shows_why_and_a_running_one_refreshes_itself(client_as, cast):
    failed = ImportRun.objects.create(
        agency=cast.agency_a,
        profile="lapd",
        file_name="la.csv",
        actor_label="cora",
        status=ImportStatus.FAILED,
        failure="Line 90: the CSV cannot be read (field larger than field limit).",
        finished_at=timezone.now(),
    )
    running = ImportRun.objects.create(
        agency=cast.agency_a, profile="lapd", file_name="la2.csv", actor_label="cora"
    )
    client = client_as("coordinator")

    failed_page = client.get(reverse("incidents:run", args=[failed.pk]))
    running_page = client.get(reverse("incidents:run", args=[running.pk]))

    assert "field larger than field limit" in failed_page.content.decode()
    assert "Refresh" not in failed_page.headers
    assert "Running since" in running_page.content.decode()
    assert running_page.headers["Refresh"] == "3"
    assert ImportRun.objects.get(pk=running.pk).status == ImportStatus.RUNNING


@pytest.mark.parametrize("role", NOT_IMPORTERS)
def test_other_roles_are_refused_every_import_page(client_as, cast, role, upload_dir):
    run = ImportRun.objects.create(
        agency=cast.agency_a, profile="chicago", file_name="c.csv", actor_label="cora"
    )
    client = client_as(role)

    pages = [
        client.get(reverse("incidents:runs")),
        client.get(reverse("incidents:run", args=[run.pk])),
        client.get(reverse("incidents:new")),
        upload(client, "chicago.csv", sample("chicago.csv").read_bytes(), "chicago"),
        client.get(reverse("incidents:upload", args=["a" * 32])),
    ]

    assert [page.status_code for page in pages] == [403] * 5
    assert (ImportRun.objects.count(), Incident.objects.count()) == (1, 0)
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT_RUNS_VIEW).exists()
    assert not upload_dir.exists() or not any(upload_dir.iterdir())


def test_another_agencys_run_is_not_found(client_as, cast, run_import):
    run_import(cast.agency_b, "chicago", sample("chicago.csv"))
    run_b = ImportRun.objects.get(agency=cast.agency_b)
    client = client_as("coordinator")

    response = client.get(reverse("incidents:run", args=[run_b.pk]))
    log = client.get(reverse("incidents:runs")).content.decode()

    assert response.status_code == 404
    assert "chicago.csv" not in log and "No imports yet." in log
    assert not AuditEvent.objects.filter(
        action=AuditAction.IMPORT_RUNS_VIEW, object_id=str(run_b.pk)
    ).exists()


# --- uploading ------------------------------------------------------------------------------


def test_an_uploaded_export_is_imported_as_the_coordinator_and_its_run_shows_the_counts(
    client_as, cast, upload_dir
):
    client = client_as("coordinator")

    response = upload(client, "chicago.csv", sample("chicago.csv").read_bytes(), "chicago")

    assert response.status_code == 302 and "/imports/uploads/" in response.url
    waiting = client.get(response.url)
    run = ImportRun.objects.get()
    assert waiting.status_code == 302
    assert waiting.url == reverse("incidents:run", args=[run.pk])
    page = client.get(waiting.url)
    assert page.status_code == 200
    assert '<td data-testid="rows">10</td>' in page.content.decode()
    assert '<td data-testid="new">9</td>' in page.content.decode()
    assert (run.status, run.actor_label, run.file_name, run.profile) == (
        ImportStatus.COMPLETED,
        "cora",
        "chicago.csv",
        "chicago",
    )
    assert Incident.objects.filter(agency=cast.agency_a).count() == 9
    event = AuditEvent.objects.filter(action=AuditAction.INCIDENT_IMPORT).latest("id")
    assert (event.actor_label, event.role, event.ip) == ("cora", "coordinator", "127.0.0.1")
    assert event.details["new"] == 9
    assert list(upload_dir.iterdir()) == []  # the export, names and all, is gone


def test_a_dry_run_upload_shows_what_would_change_and_writes_nothing(client_as, cast, upload_dir):
    client = client_as("coordinator")
    audit_before = AuditEvent.objects.count()

    response = upload(
        client, "nibrs.jsonl", sample("nibrs.jsonl").read_bytes(), "nibrs", dry_run=True
    )
    page = client.get(response.url)

    assert page.status_code == 200
    assert "Refresh" not in page.headers
    assert "7 rows would give 5 new, 0 updated, 0 unchanged, 0 bad rows." in page.content.decode()
    assert (ImportRun.objects.count(), Incident.objects.count()) == (0, 0)
    assert AuditEvent.objects.count() == audit_before
    assert list(upload_dir.iterdir()) == []
    again = client.get(response.url)  # the answer stays with the page
    assert "7 rows would give 5 new" in again.content.decode()


def test_a_strict_upload_with_a_bad_row_imports_nothing_and_lists_it(client_as, cast):
    client = client_as("coordinator")
    content = chicago_rows(chicago_row("JH200001"), chicago_row("JH200002", "yesterday"))

    response = upload(client, "export.csv", content, "chicago", strict=True)
    page = client.get(response.url).content.decode()

    assert "Nothing imported" in page and "1 of 2 rows are bad (strict)" in page
    assert "Date &#x27;yesterday&#x27; does not match the format" in page
    assert (ImportRun.objects.count(), Incident.objects.count()) == (0, 0)


def test_a_file_the_profile_does_not_fit_is_refused_with_nothing_written(
    client_as, cast, upload_dir
):
    client = client_as("coordinator")
    audit_before = AuditEvent.objects.count()

    wrong_columns = upload(client, "lapd.csv", sample("lapd.csv").read_bytes(), "chicago")
    not_json = upload(client, "chicago.csv", sample("chicago.csv").read_bytes(), "nibrs")

    assert wrong_columns.status_code == 400
    assert "The file has no column" in wrong_columns.content.decode()
    assert "is it the right profile for this export?" in wrong_columns.content.decode()
    assert not_json.status_code == 400
    assert "The first line is not a JSON object" in not_json.content.decode()
    assert (ImportRun.objects.count(), Incident.objects.count()) == (0, 0)
    assert AuditEvent.objects.count() == audit_before
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_kept(
    client_as, cast, monkeypatch, upload_dir
):
    monkeypatch.setattr(incident_forms, "MAX_UPLOAD_BYTES", 1000)
    client = client_as("coordinator")

    response = upload(client, "chicago.csv", sample("chicago.csv").read_bytes(), "chicago")
    # Past the limit by its Content-Length: refused before a byte of the file is read.
    huge = upload(client, "big.csv", chicago_rows(*[chicago_row("JH1")] * 400), "chicago")

    assert response.status_code == 400
    assert "The file is larger than" in response.content.decode()
    assert huge.status_code == 400
    assert "The file is larger than" in huge.content.decode()
    assert "This field is required" not in huge.content.decode()  # the profile still came
    assert ImportRun.objects.count() == 0
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_the_upload_form_checks_its_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.coordinator.user)

    response = upload(client, "chicago.csv", sample("chicago.csv").read_bytes(), "chicago")

    assert response.status_code == 403
    assert ImportRun.objects.count() == 0
    form = client.get(reverse("incidents:new"))
    assert form.status_code == 200 and "csrfmiddlewaretoken" in form.content.decode()


def test_an_upload_is_followed_only_from_the_session_that_made_it(client_as, cast):
    response = upload(
        client_as("coordinator"), "c.csv", sample("chicago.csv").read_bytes(), "chicago"
    )
    other = Client()
    other.force_login(cast.coordinator.user)

    assert other.get(response.url).status_code == 404
    assert ImportRun.objects.count() == 1


def test_a_file_with_bytes_of_another_encoding_far_down_writes_nothing(client_as, cast):
    rows = [chicago_row(f"JH3{i:05}") for i in range(80)]  # past the reader's first chunk
    content = chicago_rows(*rows) + b"13362931,JH399999,\xff\xfe broken\n"
    client = client_as("coordinator")

    response = upload(client, "broken.csv", content, "chicago")
    page = client.get(response.url, follow=True)

    # The whole file is checked before the first batch: no run, no incident.
    assert (ImportRun.objects.count(), Incident.objects.count()) == (0, 0)
    assert "Nothing was imported" in page.content.decode()
    assert "Near line 82: the bytes are not utf-8-sig" in page.content.decode()


def test_the_worker_imports_as_the_uploader_with_their_role_as_it_is_now(cast, upload_dir):
    path = upload_dir.parent / "waiting.csv"
    path.write_bytes(sample("chicago.csv").read_bytes())
    upload_id = tasks.new_upload_id()

    tasks.import_upload(
        upload_id,
        path=str(path),
        file_name="chicago.csv",
        profile="chicago",
        dry_run=False,
        strict=False,
        agency_id=cast.agency_a.pk,
        membership_id=cast.advocate.pk,  # an advocate: no incidents.import
    )

    state = tasks.upload_state(upload_id)
    assert state == {
        "state": tasks.ERROR,
        "message": "Your role does not allow this (incidents.import).",
    }
    assert (ImportRun.objects.count(), Incident.objects.count()) == (0, 0)
    assert not path.exists()


# --- the review list ------------------------------------------------------------------------


@pytest.fixture
def two_gales(alice, cast, run_import):
    """Two known Gale Mosses, and a report naming a Gale Moss born on neither's birthday: one
    person on a report with two possible matches."""
    first = person_create(
        actor=alice, first_name="Gale", last_name="Moss", date_of_birth=date(1990, 4, 12)
    )
    second = person_create(
        actor=alice, first_name="Gale", last_name="Moss", date_of_birth=date(1985, 1, 3)
    )
    line = victim_line(
        "RV-77", victim_first_name="Gale", victim_last_name="Moss", victim_dob="1991-04-12"
    )
    run_import(cast.agency_a, "nibrs", line + "\n")
    return first, second


def candidate_for(person) -> MatchCandidate:
    return MatchCandidate.objects.get(person=person)


@pytest.mark.parametrize("role", ["advocate", "supervisor", "coordinator"])
def test_a_specialist_sees_the_matches_grouped_by_the_person_on_the_report(
    client_as, role, two_gales
):
    first, second = two_gales

    response = client_as(role).get(reverse("incidents:matches"))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Report RV-77 · Victim") == 1
    assert "Apr 12, 1991" in page and "Apr 12, 1990" in page and "Jan 3, 1985" in page
    assert reverse("people:detail", args=[first.pk]) in page
    assert reverse("people:detail", args=[second.pk]) in page
    assert "different birth date" in page and "names 100% alike" in page
    assert page.count("Same person: link") == 2 and page.count("Not the same person") == 2
    event = AuditEvent.objects.filter(action=AuditAction.MATCH_REVIEW_LIST).latest("id")
    assert sorted(event.details["shown"]) == sorted(
        [candidate_for(first).pk, candidate_for(second).pk]
    )
    assert event.details["people"] == sorted([first.pk, second.pk])
    assert "Gale" not in str(event.details)


def test_the_review_list_loads_in_a_fixed_number_of_queries(client_as, cast, alice, run_import):
    person_create(actor=alice, first_name="Gale", last_name="Moss", date_of_birth=date(1990, 4, 1))
    client = client_as("advocate")

    def report(number):
        run_import(
            cast.agency_a,
            "nibrs",
            victim_line(number, victim_first_name="Gale", victim_last_name="Moss") + "\n",
        )

    report("R1")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("incidents:matches"))
    report("R2")
    report("R3")
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("incidents:matches"))

    assert response.content.decode().count("Same person: link") == 3
    assert len(three) == len(one)


@pytest.mark.parametrize("role", NOT_REVIEWERS)
def test_officers_analysts_and_auditors_are_refused_the_review_list(client_as, role, two_gales):
    first, _ = two_gales
    candidate = candidate_for(first)
    client = client_as(role)

    responses = [
        client.get(reverse("incidents:matches")),
        client.post(reverse("incidents:match_link", args=[candidate.pk])),
        client.post(reverse("incidents:match_reject", args=[candidate.pk]), {"reason": "no"}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert MatchCandidate.objects.filter(status=MatchStatus.PENDING).count() == 2
    assert not AuditEvent.objects.filter(action=AuditAction.MATCH_REVIEW_LIST).exists()


def test_linking_a_match_links_the_person_and_rejects_the_other(client_as, cast, two_gales):
    first, second = two_gales
    client = client_as("advocate")

    response = client.post(
        reverse("incidents:match_link", args=[candidate_for(first).pk]), {"page": "1"}
    )

    assert response.status_code == 302 and response.url == "/matches/?page=1"
    page = client.get(response.url).content.decode()
    assert "Linked: the person on report RV-77 is now on their record." in page
    assert "Nothing to review" in page
    on_report = IncidentPerson.objects.get(incident__report_number="RV-77")
    assert (on_report.person, on_report.link_source) == (first, LinkSource.REVIEW)
    linked, other = candidate_for(first), candidate_for(second)
    assert (linked.status, linked.decided_by) == (MatchStatus.LINKED, cast.advocate)
    assert other.status == MatchStatus.REJECTED
    event = AuditEvent.objects.get(action=AuditAction.INCIDENT_MATCH_LINK)
    assert (event.actor_label, event.object_id) == ("alice", str(linked.pk))
    assert event.details["rejected"] == [other.pk]


def test_rejecting_a_match_records_the_reason_and_keeps_the_other(client_as, two_gales):
    first, second = two_gales
    client = client_as("supervisor")

    response = client.post(
        reverse("incidents:match_reject", args=[candidate_for(second).pk]),
        {"reason": "Known Gale is 6 years older", "page": "1"},
        follow=True,
    )

    page = response.content.decode()
    assert "Recorded: not the same person (report RV-77)." in page
    assert page.count("Same person: link") == 1
    rejected = candidate_for(second)
    assert (rejected.status, rejected.reason) == (
        MatchStatus.REJECTED,
        "Known Gale is 6 years older",
    )
    assert candidate_for(first).status == MatchStatus.PENDING
    assert IncidentPerson.objects.get(incident__report_number="RV-77").person is None
    event = AuditEvent.objects.get(action=AuditAction.INCIDENT_MATCH_REJECT)
    assert (event.actor_label, event.reason) == ("sam", "Known Gale is 6 years older")


def test_deciding_a_match_twice_says_it_was_already_decided(client_as, two_gales):
    first, _ = two_gales
    candidate = candidate_for(first)
    client = client_as("advocate")
    client.post(reverse("incidents:match_link", args=[candidate.pk]))
    decided_at = candidate_for(first).decided_at

    again = client.post(reverse("incidents:match_link", args=[candidate.pk]), follow=True)
    reject = client.post(reverse("incidents:match_reject", args=[candidate.pk]), follow=True)

    assert "This match was already decided (linked)." in again.content.decode()
    assert "This match was already decided (linked)." in reject.content.decode()
    assert candidate_for(first).decided_at == decided_at
    assert candidate_for(first).status == MatchStatus.LINKED
    assert AuditEvent.objects.filter(action=AuditAction.INCIDENT_MATCH_LINK).count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.INCIDENT_MATCH_REJECT).exists()


def test_a_decision_over_htmx_returns_the_persons_group_again(client_as, two_gales):
    first, second = two_gales
    client = client_as("advocate")

    rejected = client.post(
        reverse("incidents:match_reject", args=[candidate_for(second).pk]),
        {"reason": ""},
        HTTP_HX_REQUEST="true",
    )
    linked = client.post(
        reverse("incidents:match_link", args=[candidate_for(first).pk]), HTTP_HX_REQUEST="true"
    )
    twice = client.post(
        reverse("incidents:match_link", args=[candidate_for(first).pk]), HTTP_HX_REQUEST="true"
    )

    rejected_html, linked_html = rejected.content.decode(), linked.content.decode()
    on_report = IncidentPerson.objects.get(incident__report_number="RV-77")
    assert rejected.status_code == 200 and "<html" not in rejected_html
    assert f'id="match-group-{on_report.pk}"' in rejected_html
    assert "Recorded: not the same person" in rejected_html
    assert rejected_html.count("Same person: link") == 1  # the other Gale is still to decide
    assert "Linked: the person on report RV-77" in linked_html
    assert "Same person: link" not in linked_html
    assert "already decided (linked)" in twice.content.decode()
    assert on_report.person == first
    assert candidate_for(second).status == MatchStatus.REJECTED


def test_a_reason_too_long_is_refused_and_nothing_changes(client_as, two_gales):
    first, _ = two_gales

    response = client_as("advocate").post(
        reverse("incidents:match_reject", args=[candidate_for(first).pk]),
        {"reason": "x" * 501},
        follow=True,
    )

    assert "at most 500 characters" in response.content.decode()
    assert candidate_for(first).status == MatchStatus.PENDING


def test_another_agencys_match_is_not_found(client_as, cast, charlie, run_import):
    known_b = person_create(
        actor=charlie, first_name="Lou", last_name="Park", date_of_birth=date(1970, 2, 2)
    )
    line = victim_line("LB-1", victim_first_name="Lou", victim_last_name="Park")
    run_import(cast.agency_b, "nibrs", line + "\n")
    candidate_b = candidate_for(known_b)
    client = client_as("advocate")

    link = client.post(reverse("incidents:match_link", args=[candidate_b.pk]))
    reject = client.post(reverse("incidents:match_reject", args=[candidate_b.pk]))
    listed = client.get(reverse("incidents:matches")).content.decode()

    assert (link.status_code, reject.status_code) == (404, 404)
    assert "LB-1" not in listed and "Park" not in listed
    assert candidate_for(known_b).status == MatchStatus.PENDING


def test_an_unknown_upload_or_run_is_not_found(client_as):
    client = client_as("coordinator")

    assert client.get(reverse("incidents:upload", args=["nope"])).status_code == 404
    assert client.get(reverse("incidents:run", args=[999999])).status_code == 404
