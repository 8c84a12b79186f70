import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.audit.models import AuditAction
from haven.cases.models import CaseEventKind, Note, NoteVisibility
from haven.cases.services import case_change_status, note_add, work
from haven.cases.tests.conftest import NON_CASEWORKER_ROLES


def test_it_adds_a_privileged_note_with_its_timeline_line_and_audit_event(
    cast, alice, new_audit_events
):
    note = note_add(actor=alice, case=cast.case_a, body="  Court date is the 14th.  ")

    note = Note.objects.get(pk=note.pk)
    assert note.case == cast.case_a
    assert note.body == "Court date is the 14th."
    assert note.visibility == NoteVisibility.PRIVILEGED
    assert note.author == cast.advocate
    event = cast.case_a.events.get(kind=CaseEventKind.NOTE_ADDED, note=note)
    assert event.actor == cast.advocate
    assert event.at == note.created_at
    assert event.data == {}
    [audit] = new_audit_events(action=AuditAction.NOTE_ADD)
    assert audit.object_type == "cases.note"
    assert audit.object_id == str(note.pk)
    assert audit.details == {"case": cast.case_a.pk, "visibility": "privileged"}
    assert "Court" not in str(audit.details) + audit.reason


def test_it_adds_a_shareable_note(cast, sam):
    note = note_add(
        actor=sam,
        case=cast.case_a,
        body="Shared with the prosecutor's office.",
        visibility=NoteVisibility.SHAREABLE,
    )

    assert Note.objects.get(pk=note.pk).visibility == NoteVisibility.SHAREABLE


def test_a_note_can_be_added_to_an_ended_case(cast, alice):
    case_change_status(actor=alice, case=cast.case_a, status="closed", reason="Done")

    note = note_add(actor=alice, case=cast.case_a, body="Victim called to say thanks.")

    assert Note.objects.filter(pk=note.pk, case=cast.case_a).exists()


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_it_refuses_a_note_without_text(cast, alice, body, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        note_add(actor=alice, case=cast.case_a, body=body)

    assert "body" in refused.value.message_dict
    assert row_counts() == before


def test_it_refuses_an_unknown_visibility(cast, alice, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        note_add(actor=alice, case=cast.case_a, body="Text", visibility="public")

    assert "visibility" in refused.value.message_dict
    assert row_counts() == before


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_it_is_refused_to_roles_that_do_not_work_cases(cast, role, row_counts):
    before = row_counts()

    with pytest.raises(PermissionDenied):
        note_add(actor=cast.actor(role), case=cast.case_a, body="I was here.")

    assert row_counts() == before


def test_nothing_is_left_behind_when_it_fails_halfway(cast, alice, monkeypatch, row_counts):
    before = row_counts()

    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(work, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        note_add(actor=alice, case=cast.case_a, body="Lost?")

    assert row_counts() == before
