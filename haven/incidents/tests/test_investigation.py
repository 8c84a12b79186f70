"""The police investigation status of a report: read from the export (LAPD's "Status Desc" on
real rows), kept on the incident, shown on the case and its timeline, set by hand by a
specialist, and told to the victim as the agency's notice settings say."""

from pathlib import Path

import pytest
from django.urls import reverse

from haven.audit.models import AuditAction
from haven.cases.models import CaseEvent, CaseEventKind, Task
from haven.cases.testing import make_case
from haven.incidents.investigation import incident_investigation_set
from haven.incidents.models import Incident
from haven.incidents.profile import ProfileError, load_profile
from haven.incidents.tests.conftest import sample
from haven.notices.models import Message, MessageStatus

pytestmark = pytest.mark.django_db

ROWS = 300
DV_REPORT = "010304468"  # line 2: "Adult Other", a simple battery
OTHER_REPORT = "190101086"  # line 3: "Invest Cont"


def lapd_rows(changes: dict[str, str] | None = None) -> str:
    """The first rows of the real LAPD sample, with some reports' Status Desc changed."""
    lines = sample("lapd-real.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = lines[: ROWS + 1]
    for number, (old, new) in (changes or {}).items():
        kept = [
            line.replace(f",{old},", f",{new},") if line.startswith(number + ",") else line
            for line in kept
        ]
    return "".join(kept)


@pytest.fixture
def imported(cast, sam, run_import, django_capture_on_commit_callbacks):
    """The first rows imported into agency A, a domestic-violence case on one report and an
    assault case on another (the victims have a phone); returns import(text)."""
    dv_case = make_case(sam, report_number=DV_REPORT, assignee=cast.advocate)
    other = make_case(
        sam,
        first_name="Kim",
        last_name="Park",
        report_number=OTHER_REPORT,
        victimizations=["adult_physical_assault"],
        assignee=cast.advocate,
    )

    def again(text: str):
        with django_capture_on_commit_callbacks(execute=True):
            return run_import(cast.agency_a, "lapd", text)

    again(lapd_rows())
    return dv_case, other, again


def timeline(case) -> list[str]:
    return list(
        CaseEvent.objects.filter(case=case, kind=CaseEventKind.INVESTIGATION)
        .order_by("id")
        .values_list("data__summary", flat=True)
    )


def test_the_status_desc_of_real_lapd_rows_is_read_into_havens_statuses(cast, imported):
    dv_case, other, _ = imported
    incidents = Incident.objects.filter(agency=cast.agency_a)
    got = {s: incidents.filter(investigation_status=s).count() for s in ("", "investigating",
           "arrest", "cleared")}  # fmt: skip
    assert sum(got.values()) == ROWS and got[""] == 0
    assert got["investigating"] > got["cleared"] > 0 and got["arrest"] > 0
    first = incidents.get(report_number=DV_REPORT)
    assert (first.investigation_status, first.exported_status, first.detective) == (
        "cleared",
        "cleared",
        "",
    )
    assert first.investigation_changed_by is None
    # A new report is not a change: the cases' timelines say nothing yet.
    assert timeline(dv_case) == [] and timeline(other) == []


def test_a_later_export_that_changes_the_status_is_on_the_timeline_and_held_for_dv(cast, imported):
    dv_case, other, again = imported

    again(
        lapd_rows(
            {DV_REPORT: ("AO,Adult Other", "AA,Adult Arrest"),
             OTHER_REPORT: ("IC,Invest Cont", "AA,Adult Arrest")}
        )
    )  # fmt: skip

    assert Incident.objects.get(report_number=DV_REPORT).investigation_status == "arrest"
    assert timeline(dv_case) == [
        f"Report {DV_REPORT}: Arrest made (was cleared without an arrest), from the records system"
    ]
    assert timeline(other) == [
        f"Report {OTHER_REPORT}: Arrest made (was under investigation), from the records system"
    ]
    # Domestic violence: held for the specialist's review, never sent by itself.
    [held] = Message.objects.filter(case=dv_case, template="investigation_status")
    # The victim's phone takes no texts: a call, held too (what to say is in its body).
    assert (held.status, held.channel) == (MessageStatus.HELD, "phone")
    assert "an arrest has been made" in held.body
    assert "BATTERY" not in held.body  # no crime details
    assert held.task.title.startswith("Review the held message to Dana Reyes")
    # Another case: off by default.
    assert not Message.objects.filter(case=other, template="investigation_status").exists()

    # The same file again changes nothing.
    again(lapd_rows({DV_REPORT: ("AO,Adult Other", "AA,Adult Arrest")}))
    assert len(timeline(dv_case)) == 1
    assert Message.objects.filter(case=dv_case, template="investigation_status").count() == 1


def test_a_specialist_sets_the_status_by_hand_and_it_stands_until_the_export_changes(
    cast, alice, imported, new_audit_events
):
    dv_case, _, again = imported

    incident_investigation_set(
        actor=alice,
        case=dv_case,
        investigation_status="closed",
        detective="Det. R. Ortiz, Southwest DV unit",
    )

    incident = Incident.objects.get(report_number=DV_REPORT)
    assert (incident.investigation_status, incident.detective) == (
        "closed",
        "Det. R. Ortiz, Southwest DV unit",
    )
    assert incident.investigation_changed_by == cast.advocate
    assert incident.exported_status == "cleared"  # what the records system said stays known
    assert timeline(dv_case) == [
        f"Report {DV_REPORT}: Closed or inactive (was cleared without an arrest); "
        "detective Det. R. Ortiz, Southwest DV unit, set by hand"
    ]
    [event] = new_audit_events(action=AuditAction.INCIDENT_INVESTIGATION)
    assert event.details == {"fields": ["detective", "investigation_status"], "case": dv_case.pk}

    again(lapd_rows())  # the export did not change: the specialist's word stands
    incident.refresh_from_db()
    assert incident.investigation_status == "closed"

    again(lapd_rows({DV_REPORT: ("AO,Adult Other", "IC,Invest Cont")}))  # now it did
    incident.refresh_from_db()
    assert (incident.investigation_status, incident.detective) == (
        "investigating",
        "Det. R. Ortiz, Southwest DV unit",  # LAPD's export names no detective
    )
    assert incident.investigation_changed_by is None


def test_setting_it_by_hand_checks_the_values(cast, alice, imported):
    dv_case, _, _ = imported
    with pytest.raises(Exception) as raised:
        incident_investigation_set(
            actor=alice, case=dv_case, investigation_status="solved", detective=""
        )
    assert "Choose a status from the list." in str(raised.value)
    no_report = make_case(alice, first_name="Al", last_name="Bo", report_number="")
    with pytest.raises(Exception) as raised:
        incident_investigation_set(
            actor=alice, case=no_report, investigation_status="arrest", detective=""
        )
    assert "No imported police report has this case's report number" in str(raised.value)


def test_the_case_pages_panel_shows_the_status_and_takes_the_form(
    cast, client_as, imported, django_capture_on_commit_callbacks
):
    dv_case, _, _ = imported
    client = client_as("advocate")

    page = client.get(reverse("cases:panel", args=[dv_case.pk, "investigation"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Police investigation" in text and "Cleared without an arrest" in text

    url = reverse("incidents:investigation_set", args=[dv_case.pk])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"investigation_status": "arrest", "detective": "Det. Kim"})
    # Back to the case page with the panel open, so its #investigation anchor is there.
    assert answer.status_code == 302 and answer.url.endswith("?panel=investigation#investigation")
    incident = Incident.objects.get(report_number=DV_REPORT)
    assert (incident.investigation_status, incident.detective) == ("arrest", "Det. Kim")
    followed = client.get(answer.url).content.decode()
    assert "Investigation status saved: arrest made." in followed
    assert '<section id="investigation"' in followed and "Det. Kim" in followed
    assert Task.objects.filter(case=dv_case, title__startswith="Review the held message").exists()

    bad = client.post(url, {"investigation_status": "solved"}, follow=True)
    assert "Select a valid choice" in bad.content.decode()
    assert client_as("analyst").post(url, {"investigation_status": "closed"}).status_code == 403
    assert client_as("other_advocate").post(url, {"investigation_status": ""}).status_code == 404
    incident.refresh_from_db()
    assert incident.investigation_status == "arrest"


def test_a_status_map_to_a_value_haven_does_not_have_is_a_clear_profile_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        'name = "bad"\n[report]\nnumber = "RD"\nreported_at = { column = "At", format = "iso" }\n'
        'investigation_status = { column = "Status", map = "status" }\n'
        '[maps.status]\n"IC" = "open"\n',
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as raised:
        load_profile(str(path))
    assert str(raised.value) == (
        "[maps.status] 'ic' = 'open': [report] investigation_status takes one of arrest, "
        "cleared, closed, investigating."
    )


def test_the_docs_worked_example_says_what_these_tests_check():
    docs = (Path(__file__).resolve().parents[3] / "docs" / "import-profiles.md").read_text()
    flat = " ".join(docs.split())
    assert (
        f"Report {DV_REPORT}: Arrest made (was cleared without an arrest), from the records "
        "system" in flat
    )
    assert f"first {ROWS} rows of `lapd-real.csv`" in flat
    for phrase in (
        "held for the specialist's review by default for domestic violence",
        OTHER_REPORT,
    ):
        assert phrase in flat.replace("**", "")


RMS_PROFILE = """
name = "rms-with-detective"
[report]
number = "RD"
reported_at = { column = "Reported", format = "%Y-%m-%d %H:%M" }
investigation_status = { column = "Status", map = "status" }
detective = "Assigned"

[maps.status]
"OPEN" = "investigating"
"CLR-ARR" = "arrest"
"""


def test_an_exported_detective_is_read_and_a_new_one_is_on_the_timeline(
    cast, sam, run_import, tmp_path
):
    profile = tmp_path / "rms.toml"
    profile.write_text(RMS_PROFILE, encoding="utf-8")
    case = make_case(sam, report_number="RV24-00731", assignee=cast.advocate)
    header = "RD,Reported,Status,Assigned\n"

    run_import(cast.agency_a, str(profile), header + "RV24-00731,2024-04-02 23:05,OPEN,\n")
    run_import(
        cast.agency_a,
        str(profile),
        header + "RV24-00731,2024-04-02 23:05,OPEN,Det. A. Lopez (Area 4 DV)\n",
    )

    incident = Incident.objects.get(report_number="RV24-00731")
    assert (incident.investigation_status, incident.detective) == (
        "investigating",
        "Det. A. Lopez (Area 4 DV)",
    )
    assert timeline(case) == [
        "Report RV24-00731: detective Det. A. Lopez (Area 4 DV), from the records system"
    ]
    refused = run_import(
        cast.agency_a, str(profile), header + "RV24-00731,2024-04-02 23:05,SUSPENDED,\n"
    )
    assert refused.exit == 2
    assert "Status 'SUSPENDED' is not in [maps.status]" in refused.err
