"""Closing a case lists what is still open and asks to resolve or carry each first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.cases import hooks
from haven.cases.models import CaseStatus, Note, Task
from haven.core.scoping import agency_scope
from haven.justice import services as justice
from haven.protocols.models import CaseStep, StepStatus
from haven.protocols.services import protocol_start, protocol_templates_start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_a_wednesday(clock):
    yield clock


@pytest.fixture
def busy_case(cast, alice, cora):
    """Alice's case with its open task, an elder-abuse protocol and a hearing next week."""
    with agency_scope(cast.agency_a):
        [elder] = [t for t in protocol_templates_start(actor=cora) if t.key == "elder-abuse"]
        protocol_start(actor=alice, case=cast.case_a, template=elder)
        court_case = justice.court_case_save(
            actor=alice, case=cast.case_a, court="Circuit Court", number="26CR8"
        )
        justice.court_event_record(
            actor=alice,
            court_case=court_case,
            kind="status_hearing",
            scheduled_at=timezone.now() + timedelta(days=7),
        )
    return cast.case_a


def test_closing_from_the_status_form_goes_to_the_checklist(busy_case, client_as):
    client = client_as("advocate")
    answer = client.post(
        f"/cases/{busy_case.pk}/status/",
        {"status": "closed", "close_reason": "goals_met", "reason": ""},
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"/cases/{busy_case.pk}/close/?close_reason=goals_met"
    page = client.get(answer["Location"]).content.decode()
    for words in (
        "Call back after 5pm",
        "Report to adult protective services",
        "Court date ahead",
        "Right owed",
    ):
        assert words in page
    busy_case.refresh_from_db()
    assert busy_case.status == CaseStatus.NEW


def test_the_close_is_refused_until_every_item_is_answered(busy_case, client_as):
    client = client_as("advocate")
    answer = client.post(f"/cases/{busy_case.pk}/close/", {"close_reason": "goals_met"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Task “Call back after 5pm”: choose to resolve it or carry it." in page
    busy_case.refresh_from_db()
    assert busy_case.status == CaseStatus.NEW


def open_keys(case) -> dict[str, str]:
    return {item.key: item.kind for item in hooks.open_items(case)}


def test_resolved_items_are_settled_and_carried_ones_noted_then_the_case_closes(
    busy_case, client_as
):
    client = client_as("advocate")
    keys = open_keys(busy_case)
    form = {"close_reason": "goals_met"}
    for key, kind in keys.items():
        if kind in ("Task", "Protocol step"):
            form[f"decision-{key}"] = "resolve"
            form[f"note-{key}"] = "APS took the case over"
        else:
            form[f"decision-{key}"] = "carry"
    refused = client.post(f"/cases/{busy_case.pk}/close/", form)
    assert refused.status_code == 400
    assert "say in a note why it is carried" in refused.content.decode()

    for key in keys:
        if form[f"decision-{key}"] == "carry":
            form[f"note-{key}"] = "The prosecutor's advocate follows the hearing"
    done = client.post(f"/cases/{busy_case.pk}/close/", form)
    assert done.status_code == 302
    busy_case.refresh_from_db()
    assert busy_case.status == CaseStatus.CLOSED
    assert not Task.objects.filter(case=busy_case, completed_at__isnull=True).exists()
    steps = CaseStep.objects.filter(case=busy_case)
    assert {s.status for s in steps} == {StepStatus.SKIPPED}
    assert {s.skip_reason for s in steps} == {"APS took the case over"}
    note = Note.objects.filter(case=busy_case).order_by("-created_at").first()
    assert note.body.startswith("Carried past the closing:")
    assert "Court date ahead: Status hearing: The prosecutor's advocate follows" in note.body


def test_a_case_with_nothing_open_closes_from_the_status_form(cast, alice, client_as):
    with agency_scope(cast.agency_a):
        Task.objects.filter(case=cast.case_a).update(completed_at=timezone.now())
    answer = client_as("advocate").post(
        f"/cases/{cast.case_a.pk}/status/",
        {"status": "closed", "close_reason": "goals_met", "reason": ""},
    )
    assert answer.status_code == 302
    cast.case_a.refresh_from_db()
    assert cast.case_a.status == CaseStatus.CLOSED
