"""The CSV feed: the command and the coordinator's upload page. Rows matched by case number
or police report number, idempotent, moves and results, bad rows by line and field with
nothing written."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from haven.audit.models import AuditEvent
from haven.justice.models import CourtCase, CourtEvent, CustodyEvent, RightsObligation

pytestmark = pytest.mark.django_db

HEADER = (
    "type,case_number,report_number,court_case_number,court,kind,at,previous_at,status,"
    "courthouse,courtroom,outcome,conditions,external_id\n"
)


CHICAGO = ZoneInfo("America/Chicago")  # agency A's time zone: the feed's times are local


def later(days: int) -> str:
    return (timezone.localtime(timezone=CHICAGO) + timedelta(days=days)).strftime("%Y-%m-%d 09:30")


def ago(hours: int) -> str:
    # in UTC first: an aware datetime minus a timedelta is an hour off across a DST change
    instant = timezone.now() - timedelta(hours=hours)
    return timezone.localtime(instant, timezone=CHICAGO).strftime("%Y-%m-%d %H:%M")


def feed(tmp_path, *rows: str):
    path = tmp_path / "feed.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n")
    return path


def snapshot():
    return (
        CourtCase.objects.count(),
        CourtEvent.objects.count(),
        CustodyEvent.objects.count(),
        RightsObligation.objects.count(),
    )


def test_the_command_imports_court_and_custody_rows_matched_by_case_or_report(
    cast, tmp_path, capsys
):
    path = feed(
        tmp_path,
        f"court,{cast.case_a.number},,26CR0009,Circuit Court,arraignment,{later(12)},,,"
        "Leighton,302,,,",
        f"custody,,JA100001,,,arrested,{ago(3)},,,,,,,",
    )

    call_command("justice_import", "--agency", "riverside", str(path))

    assert "2 rows: 2 new" in capsys.readouterr().out
    event = CourtEvent.objects.get()
    assert event.case == cast.case_a and event.source == "csv" and event.courtroom == "302"
    assert CourtCase.objects.get().number == "26CR0009"
    assert CustodyEvent.objects.get().case == cast.case_a
    assert RightsObligation.objects.filter(court_event=event).count() == 1
    assert AuditEvent.objects.filter(action="justice.import").count() == 1


def test_importing_the_same_file_again_changes_nothing(cast, tmp_path, capsys):
    path = feed(
        tmp_path,
        f"court,{cast.case_a.number},,26CR0009,Circuit Court,trial,{later(12)},,,,,,,",
        f"custody,,JA100001,,,arrested,{ago(3)},,,,,,,",
    )
    call_command("justice_import", "--agency", "riverside", str(path))
    before = snapshot()

    call_command("justice_import", "--agency", "riverside", str(path))

    assert "2 unchanged" in capsys.readouterr().out
    assert snapshot() == before


def test_a_row_with_previous_at_moves_the_date_and_a_held_row_records_the_outcome(cast, tmp_path):
    first, second = later(12), later(20)
    call_command(
        "justice_import",
        "--agency",
        "riverside",
        str(
            feed(
                tmp_path,
                f"court,{cast.case_a.number},,26CR9,Circuit Court,sentencing,{first},,,,,,,",
            )
        ),
    )
    call_command(
        "justice_import",
        "--agency",
        "riverside",
        str(
            feed(
                tmp_path,
                f"court,,,26CR9,,sentencing,{second},{first},continued,,,,,",
                f"court,,,26CR9,,sentencing,{second},,held,,,3 years probation,,",
            )
        ),
    )

    event = CourtEvent.objects.get()
    assert event.status == "held" and event.outcome == "3 years probation"
    assert event.previous_scheduled_at is not None
    assert event.obligations.filter(rule_key="il_outcome_notice").exists()
    assert event.obligations.filter(status="not_applicable").exists()


def test_bad_rows_are_reported_by_line_and_field_and_nothing_is_written(cast, tmp_path, capsys):
    path = feed(
        tmp_path,
        f"court,{cast.case_a.number},,26CR1,Circuit Court,arraignment,{later(3)},,,,,,,",
        f"court,{cast.case_a.number},,26CR1,,hearing,{later(4)},,,,,,,",
        f"custody,NOPE-1,,,,arrested,{ago(1)},,,,,,,",
        f"court,{cast.case_a.number},,26CR1,,trial,not a date,,,,,,,",
    )

    with pytest.raises(CommandError, match="Nothing imported: 3 bad"):
        call_command("justice_import", "--agency", "riverside", str(path))

    err = capsys.readouterr().err
    assert "line 3, kind: Unknown court event kind 'hearing'" in err
    assert "line 4, case_number: No case NOPE-1" in err
    assert "line 5, at:" in err
    assert snapshot() == (0, 0, 0, 0)
    assert AuditEvent.objects.get(action="justice.import").details["refused"] is True


def test_rows_of_another_agency_do_not_match(cast, tmp_path):
    path = feed(tmp_path, f"custody,,LB900001,,,arrested,{ago(1)},,,,,,,")

    with pytest.raises(CommandError):
        call_command("justice_import", "--agency", "riverside", str(path))
    assert not CustodyEvent.objects.exists()


def test_a_coordinator_uploads_a_feed_on_the_page(cast, client_as):
    client = client_as("coordinator")
    body = HEADER + f"custody,{cast.case_a.number},,,,escaped,{ago(1)},,,,,,,\n"

    response = client.post(
        "/justice/import/", {"file": SimpleUploadedFile("feed.csv", body.encode())}
    )

    assert response.status_code == 200
    assert "1 new" in response.content.decode()
    assert CustodyEvent.objects.get().kind == "escaped"


def test_the_upload_page_shows_bad_rows(cast, client_as):
    client = client_as("coordinator")
    body = HEADER + "custody,,,,,arrested,2026-01-01 10:00,,,,,,,\n"

    response = client.post(
        "/justice/import/", {"file": SimpleUploadedFile("feed.csv", body.encode())}
    )

    assert response.status_code == 400
    assert "Line 2, case_number" in response.content.decode()
    assert not CustodyEvent.objects.exists()


@pytest.mark.parametrize("role", ["advocate", "supervisor", "officer", "analyst"])
def test_only_coordinators_upload_feeds(cast, client_as, role):
    response = client_as(role).get("/justice/import/")
    assert response.status_code == 403
