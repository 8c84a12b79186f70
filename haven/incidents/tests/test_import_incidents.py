"""The import command: bad rows, --strict, --dry-run, re-imports, corrections, tenants, scope."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import get_scope

from haven.audit.models import AuditAction, AuditEvent
from haven.incidents import services
from haven.incidents.models import (
    ImportRun,
    ImportStatus,
    Incident,
    IncidentOffense,
    IncidentPerson,
)
from haven.incidents.tests.conftest import sample, sample_text

HEADER = sample_text("chicago.csv").splitlines()[0]
ROWS = sample_text("chicago.csv").splitlines()[1:]


def chicago(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def snapshot(agency):
    """Everything an import writes for the agency, to show that something changed nothing."""
    return {
        "incidents": sorted(
            Incident.objects.filter(agency=agency).values_list(
                "report_number", "source_hash", "updated_at", "occurred_at"
            )
        ),
        "offenses": sorted(
            IncidentOffense.objects.filter(agency=agency).values_list("incident_id", "code")
        ),
        "people": sorted(
            IncidentPerson.objects.filter(agency=agency).values_list(
                "incident_id", "role", "position", "dropped_at"
            )
        ),
        "updates": AuditEvent.objects.filter(action=AuditAction.INCIDENT_UPDATE).count(),
    }


# Bad rows


def test_a_bad_row_is_reported_with_its_line_and_the_rest_import(cast, run_import):
    text = chicago(
        ROWS[0],
        ROWS[1].replace("01/15/2024 02:05:00 AM", "2024-01-15 02:05"),
        ROWS[2].replace("JH100103", ""),
        "13363999,JH100199,01/15/2024 08:30:00 AM,too,few",
        ROWS[3],
    )

    result = run_import(cast.agency_a, "chicago", text)

    assert "line 3: Date '2024-01-15 02:05' does not match the format %m/%d/%Y %I:%M:%S %p" in (
        result.err
    )
    assert "line 4: Case Number is empty: every row needs a report number." in result.err
    assert "line 5: The row has 5 fields; the header has 22." in result.err
    assert "2 new, 0 updated, 0 unchanged, 3 bad rows" in result.out
    assert sorted(Incident.objects.values_list("report_number", flat=True)) == [
        "JH100101",
        "JH100104",
    ]
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.COMPLETED
    assert (run.rows_read, run.rows_bad, run.incidents_new) == (5, 3, 2)
    assert [e["line"] for e in run.errors] == [3, 4, 5]


def test_every_refused_row_is_kept_with_its_line_and_reason_not_only_the_first(
    cast, run_import, tmp_path
):
    bad = [
        ROWS[0].replace("JH100101", f"JH8{i:05}").replace("01/14/2024", "2024-01-14")
        for i in range(620)
    ]
    rejects = tmp_path / "refused.csv"

    result = run_import(cast.agency_a, "chicago", chicago(*bad, ROWS[3]), "--rejects", str(rejects))

    assert result.exit == 2  # refused rows, and no --allow-bad
    # The summary leads with the refused count, then 50 of them; the file holds all.
    assert result.err.startswith(f"Refused 620 of 621 rows (99.8%); every one is in {rejects}.")
    assert result.err.count("\nline ") == 50 and "... and 570 more." in result.err
    lines = rejects.read_text().splitlines()
    assert lines[0] == "line,reason" and len(lines) == 621
    assert lines[620].startswith("621,Date '2024-01-14 11:40:00 PM' does not match the format")
    run = ImportRun.objects.get()
    assert run.rows_bad == 620 and len(run.errors) == 500  # the page shows 500
    assert run.rejected_rows.count() == 620  # every one is kept
    assert Incident.objects.count() == 1


@pytest.mark.parametrize(
    ("allow", "exit"), [("2", 0), ("1", 2), ("40%", 0), ("39.9%", 2), ("100%", 0)]
)
def test_allow_bad_takes_a_count_or_a_share_of_the_rows(cast, run_import, allow, exit):
    text = chicago(ROWS[0], ROWS[1].replace("JH100102", ""), ROWS[2], "x,y", ROWS[3])

    result = run_import(cast.agency_a, "chicago", text, "--allow-bad", allow)

    assert result.exit == exit  # 2 of 5 rows refused: 40%
    assert Incident.objects.count() == 3  # the good rows import either way


def test_a_dry_run_with_refused_rows_exits_non_zero_too(cast, run_import):
    result = run_import(cast.agency_a, "chicago", chicago(ROWS[0], "x,y"), "--dry-run")

    assert result.exit == 2 and "Dry run, nothing changed" in result.out
    assert "use --rejects FILE to keep every one" in result.err
    assert not ImportRun.objects.exists()


def test_a_bad_allow_bad_is_an_error_saying_what_it_takes(cast, run_import):
    with pytest.raises(CommandError) as refused:
        run_import(cast.agency_a, "chicago", sample("chicago.csv"), "--allow-bad", "some")

    assert "give a number of rows (25) or a percentage of the rows (0.5%)" in str(refused.value)
    assert not ImportRun.objects.exists()


def test_a_header_that_does_not_fit_or_another_encoding_writes_nothing(cast, run_import, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(chicago(*ROWS).encode() + b"13369999,JH199999,\xe9\n")

    with pytest.raises(CommandError) as encoding:
        run_import(cast.agency_a, "chicago", path)
    with pytest.raises(CommandError) as header:
        run_import(cast.agency_a, "lapd", sample("chicago.csv"))

    assert str(encoding.value).startswith(f"{path}: Near line 12: the bytes are not utf-8-sig")
    assert str(encoding.value).endswith("Nothing was imported.")
    assert "The file has no column 'AREA'" in str(header.value)
    assert (ImportRun.objects.count(), Incident.objects.count()) == (0, 0)


def test_a_line_number_counts_physical_lines_across_quoted_line_breaks(cast, run_import):
    multi_line = ROWS[0].replace("052XX W HURON ST", '"052XX W HURON ST\nREAR"')

    result = run_import(cast.agency_a, "chicago", chicago(multi_line, "x,y"))

    assert "line 4: The row has 2 fields" in result.err


def test_an_export_without_the_profiles_columns_is_refused_before_any_row(cast, run_import):
    with pytest.raises(CommandError) as refused:
        run_import(cast.agency_a, "lapd", sample("chicago.csv"))

    assert "The file has no column 'AREA'" in str(refused.value)
    assert "is it the right profile for this export?" in str(refused.value)
    assert not Incident.objects.exists()


def test_a_file_in_another_encoding_says_how_to_fix_the_profile(cast, run_import, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(chicago(ROWS[0].replace("HURON", "HUR\xd3N")).encode("cp1252"))

    with pytest.raises(CommandError) as refused:
        run_import(cast.agency_a, "chicago", path)

    assert 'encoding = "cp1252"' in str(refused.value)


def test_a_value_missing_from_a_strict_map_is_a_bad_row(cast, run_import, tmp_path):
    profile = tmp_path / "custom.toml"
    profile.write_text(
        '[report]\nnumber = "RD"\nreported_at = { column = "When", format = "iso" }\n'
        '[[people]]\nrole = "victim"\nsex = { column = "Sex", map = "sex" }\n'
        '[maps.sex]\n"M" = "male"\n'
    )

    result = run_import(
        cast.agency_a, str(profile), "RD,When,Sex\nR1,2024-01-01T10:00,M\nR2,2024-01-01T11:00,Q\n"
    )

    assert (
        "line 3: Sex 'Q' is not in [maps.sex]: add it to the profile "
        '(or a "*" line for every other value).' in result.err
    )
    assert list(Incident.objects.values_list("report_number", flat=True)) == ["R1"]


def test_a_date_in_the_future_points_at_the_format(cast, run_import):
    result = run_import(
        cast.agency_a, "chicago", chicago(ROWS[0].replace("01/14/2024", "01/14/2099"))
    )

    assert "is in the future: check the profile's format" in result.err


# --strict and --dry-run


def test_strict_imports_nothing_when_a_row_is_bad(cast, run_import):
    text = chicago(ROWS[0], ROWS[1].replace("01/15/2024", "15/01/2024"), ROWS[2])

    with pytest.raises(CommandError) as refused:
        run_import(cast.agency_a, "chicago", text, "--strict")

    assert "Nothing imported: 1 of 3 rows are bad (--strict)" in str(refused.value)
    assert not Incident.objects.exists()
    assert not ImportRun.objects.exists()


def test_strict_imports_everything_when_every_row_is_good(cast, run_import):
    result = run_import(cast.agency_a, "chicago", sample("chicago.csv"), "--strict")

    assert "9 new" in result.out
    assert Incident.objects.count() == 9


def test_a_dry_run_reports_the_counts_and_changes_nothing(cast, run_import):
    run_import(cast.agency_a, "chicago", chicago(*ROWS[:3]))
    corrected = ROWS[0].replace("APARTMENT", "RESIDENCE")
    before = snapshot(cast.agency_a)
    events = AuditEvent.objects.count()

    result = run_import(
        cast.agency_a, "chicago", chicago(corrected, *ROWS[1:3], ROWS[3], "bad,row"), "--dry-run"
    )

    assert result.out.strip() == (
        "Dry run, nothing changed: 5 rows would give 1 new, 1 updated, 2 unchanged, 1 bad rows."
    )
    assert snapshot(cast.agency_a) == before
    assert AuditEvent.objects.count() == events
    assert ImportRun.objects.count() == 1


def test_a_strict_dry_run_of_a_good_file_still_changes_nothing(cast, run_import):
    result = run_import(cast.agency_a, "chicago", sample("chicago.csv"), "--strict", "--dry-run")

    assert "Dry run, nothing changed: 10 rows would give 9 new" in result.out
    assert not Incident.objects.exists() and not ImportRun.objects.exists()


# Idempotency and corrections


def test_the_same_file_twice_changes_nothing(cast, run_import):
    run_import(cast.agency_a, "chicago", sample("chicago.csv"))
    before = snapshot(cast.agency_a)

    result = run_import(cast.agency_a, "chicago", sample("chicago.csv"))

    assert "0 new, 0 updated, 9 unchanged, 0 bad rows" in result.out
    assert snapshot(cast.agency_a) == before


def test_a_corrected_re_export_updates_in_place_and_audits_the_fields(
    cast, run_import, new_audit_events
):
    run_import(cast.agency_a, "chicago", sample("chicago.csv"))
    dv = Incident.objects.get(report_number="JH100101")
    victim = dv.people.get()
    corrected = (
        ROWS[0]
        .replace("0486,BATTERY,DOMESTIC BATTERY SIMPLE", "0488,BATTERY,AGG DOMESTIC BATTERY")
        .replace(",1524,015,", ",1134,011,")
    )

    result = run_import(cast.agency_a, "chicago", chicago(corrected, *ROWS[1:]))

    assert "0 new, 1 updated, 8 unchanged" in result.out
    dv.refresh_from_db()
    assert (dv.pk, dv.beat, dv.district) == (dv.pk, "1134", cast.district_a)
    assert [o.code for o in dv.offenses.all()] == ["0488"]
    assert dv.people.get() == victim  # the same row, not a new one
    [event] = new_audit_events(action=AuditAction.INCIDENT_UPDATE)
    assert (event.object_type, event.object_id) == ("incidents.incident", str(dv.pk))
    assert event.details["fields"] == ["district_code", "beat", "offenses"]
    assert event.actor_label == "manage.py import_incidents"
    assert event.role == "system"


def test_a_person_a_later_export_drops_is_kept_and_marked(cast, run_import):
    run_import(cast.agency_a, "chicago", sample("chicago.csv"))

    run_import(cast.agency_a, "chicago", chicago(*ROWS[:5], *ROWS[6:]))  # one homicide row less

    homicide = Incident.objects.get(report_number="JH100105")
    assert [(p.position, p.dropped_at is not None) for p in homicide.people.all()] == [
        (1, False),
        (2, True),
    ]


def test_each_import_is_recorded_and_audited_without_names(cast, run_import, new_audit_events):
    run_import(cast.agency_a, "nibrs", sample("nibrs.jsonl"))

    run = ImportRun.objects.get()
    assert (run.profile, run.file_name, run.actor_label) == (
        "nibrs",
        "nibrs.jsonl",
        "manage.py import_incidents",
    )
    imports = new_audit_events(action=AuditAction.INCIDENT_IMPORT)
    assert imports[-1].details | {"file": "-"} == {
        "profile": "nibrs",
        "file": "-",
        "rows": 7,
        "new": 5,
        "updated": 0,
        "unchanged": 0,
        "bad": 0,
        "unmapped_codes": 0,
        "linked": 1,
        "to_review": 0,
        "cases_opened": 0,
    }
    logged = str([e.details for e in new_audit_events()])
    assert "Reyes" not in logged and "555" not in logged


# Reports whose rows are apart, and batches


def test_the_rows_of_a_report_are_never_split_across_batches(cast, run_import):
    run_import(cast.agency_a, "chicago", sample("chicago.csv"), "--batch-size", "1")

    assert Incident.objects.get(report_number="JH100105").people.count() == 2
    assert ImportRun.objects.get().incidents_new == 9


def test_a_report_whose_rows_are_apart_is_a_bad_row_asking_to_sort(cast, run_import):
    text = chicago(ROWS[4], ROWS[0], ROWS[1], ROWS[5])

    result = run_import(cast.agency_a, "chicago", text, "--batch-size", "2")

    assert "line 5: report JH100105 was already read further up, apart from this row" in (
        result.err
    )
    assert "sort the export by report number" in result.err
    assert Incident.objects.get(report_number="JH100105").people.count() == 1


def test_rows_of_one_report_apart_within_a_batch_are_merged(cast, run_import):
    run_import(cast.agency_a, "chicago", chicago(ROWS[4], ROWS[0], ROWS[5]))

    assert Incident.objects.get(report_number="JH100105").people.count() == 2


# Tenants and scope


def test_an_import_into_one_agency_never_touches_another(cast, run_import):
    run_import(cast.agency_b, "chicago", sample("chicago.csv"))
    b_before = snapshot(cast.agency_b)

    run_import(cast.agency_a, "chicago", chicago(ROWS[0].replace("APARTMENT", "RESIDENCE")))

    assert snapshot(cast.agency_b) == b_before
    a = Incident.objects.get(agency=cast.agency_a, report_number="JH100101")
    b = Incident.objects.get(agency=cast.agency_b, report_number="JH100101")
    assert a.pk != b.pk and "RESIDENCE" in a.location and "APARTMENT" in b.location
    assert ImportRun.objects.get(agency=cast.agency_a).incidents_new == 1


def test_the_command_works_inside_its_own_agency_scope(cast, run_import, monkeypatch):
    seen = {}
    real = services.incidents_import

    def spy(**kwargs):
        seen.update(get_scope())
        return real(**kwargs)

    monkeypatch.setattr(
        "haven.incidents.management.commands.import_incidents.incidents_import", spy
    )

    run_import(cast.agency_a, "chicago", chicago(ROWS[0]))

    assert seen == {"_enabled": True, "agency": cast.agency_a.pk}


def test_an_unknown_agency_or_profile_is_an_error(cast):
    with pytest.raises(CommandError, match="No agency with the slug 'nowhere'"):
        call_command(
            "import_incidents", str(sample("chicago.csv")), agency="nowhere", profile="chicago"
        )
    with pytest.raises(CommandError, match="No import profile named 'gotham'"):
        call_command(
            "import_incidents", str(sample("chicago.csv")), agency="riverside", profile="gotham"
        )


def test_the_import_service_refuses_a_role_without_the_import_permission(cast, alice):
    from django.core.exceptions import PermissionDenied

    from haven.incidents.profile import load_profile

    with pytest.raises(PermissionDenied), open(sample("chicago.csv"), "rb") as stream:
        services.incidents_import(
            actor=alice, profile=load_profile("chicago"), stream=stream, file_name="x.csv"
        )
    assert not Incident.objects.exists()


def test_a_failure_mid_file_keeps_the_finished_batches_and_a_rerun_finishes(
    cast, run_import, monkeypatch
):
    from haven.incidents.importer import Importer

    real_write = Importer._write
    calls = {"n": 0}

    def failing_write(self, batch, run):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real_write(self, batch, run)

    monkeypatch.setattr(Importer, "_write", failing_write)
    with pytest.raises(RuntimeError):
        run_import(cast.agency_a, "chicago", sample("chicago.csv"), "--batch-size", "2")
    first = ImportRun.objects.get()
    assert first.status == ImportStatus.FAILED and first.failure == "disk full"
    assert first.incidents_new == Incident.objects.count() == 4  # two batches of two reports

    monkeypatch.setattr(Importer, "_write", real_write)
    result = run_import(cast.agency_a, "chicago", sample("chicago.csv"), "--batch-size", "2")

    assert "5 new, 0 updated, 4 unchanged" in result.out
    assert Incident.objects.count() == 9


def test_the_progress_bar_draws_only_on_a_terminal(cast):
    class Terminal(StringIO):
        def isatty(self):
            return True

    err = Terminal()
    call_command(
        "import_incidents",
        str(sample("chicago.csv")),
        agency="riverside",
        profile="chicago",
        stdout=StringIO(),
        stderr=err,
    )

    assert "100%|" in err.getvalue() and "10 rows" in err.getvalue()  # tqdm's bar
