import json
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection

from haven.audit.models import AuditAction
from haven.audit.selectors import verify_chain
from haven.cases.models import CaseEvent, CaseEventKind
from haven.cases.services import case_change_status
from haven.cases.testing import make_case
from haven.core.versions import StaleEdit
from haven.lib.crypto import TOKEN_PREFIX
from haven.people.services import person_create
from haven.safety.models import SafetyPlan, SafetyPlanRevision
from haven.safety.sections import SECTION_KEYS
from haven.safety.tests.conftest import CODE_WORD, NON_CASEWORKER_ROLES, SECRET_PLACE

pytestmark = pytest.mark.django_db


def counts():
    return (
        SafetyPlan.objects.count(),
        SafetyPlanRevision.objects.count(),
        CaseEvent.objects.filter(kind=CaseEventKind.SAFETY_PLAN).count(),
    )


def raw(table: str, column: str, pk: int) -> str:
    """The column as the database holds it, past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_first_revision_is_numbered_one_with_its_timeline_line_and_audit_event(
    cast, alice, revise, new_audit_events
):
    revision = revise(
        alice,
        warning_signs="  He starts drinking on Fridays.  ",
        safe_places=SECRET_PLACE,
        note="First plan, at the station.",
    )

    revision = SafetyPlanRevision.objects.get(pk=revision.pk)
    plan = revision.plan
    assert (plan.person, plan.agency, plan.revision_count) == (cast.victim_a, cast.agency_a, 1)
    assert plan.revised_by == cast.advocate and plan.revised_at == revision.created_at
    assert revision.number == 1
    assert revision.case == cast.case_a
    assert revision.created_by == cast.advocate
    assert revision.language == "en"
    assert revision.note == "First plan, at the station."
    assert revision.sections == {key: "" for key in SECTION_KEYS} | {
        "warning_signs": "He starts drinking on Fridays.",
        "safe_places": SECRET_PLACE,
    }
    assert revision.changed == ["warning_signs", "safe_places"]
    event = CaseEvent.objects.get(case=cast.case_a, kind=CaseEventKind.SAFETY_PLAN)
    assert event.actor == cast.advocate
    assert event.data == {"summary": "Revision 1 written: Warning signs, Safe places to go"}
    [audit] = new_audit_events(action=AuditAction.SAFETY_PLAN_REVISE)
    assert (audit.object_type, audit.object_id) == ("safety.safetyplan", str(plan.pk))
    assert audit.details == {
        "case": cast.case_a.pk,
        "person": cast.victim_a.pk,
        "revision": 1,
        "sections_changed": ["warning_signs", "safe_places"],
    }
    assert verify_chain(str(cast.agency_a.pk))[1] is None


def test_a_revision_is_a_new_row_and_the_earlier_ones_stay_as_they_were(cast, alice, sam, revise):
    first = revise(alice, warning_signs="Drinking.", children="Kids go to the neighbour.")

    second = revise(
        sam,
        warning_signs="Drinking; new threats by text.",
        children="Kids go to the neighbour.",
        technology="New phone, location sharing off.",
        note="Threats by text since Monday.",
    )

    assert [r.number for r in SafetyPlanRevision.objects.order_by("number")] == [1, 2]
    assert SafetyPlanRevision.objects.get(pk=first.pk).sections["warning_signs"] == "Drinking."
    second = SafetyPlanRevision.objects.get(pk=second.pk)
    assert second.changed == ["warning_signs", "technology"]
    assert second.created_by == cast.supervisor
    plan = SafetyPlan.objects.get()
    assert (plan.revision_count, plan.revised_by) == (2, cast.supervisor)
    summaries = list(
        CaseEvent.objects.filter(kind=CaseEventKind.SAFETY_PLAN)
        .order_by("id")
        .values_list("data__summary", flat=True)
    )
    assert summaries == [
        "Revision 1 written: Warning signs, Children",
        "Revision 2 revised: Warning signs, Technology and phone safety",
    ]


def test_the_sections_and_the_note_are_encrypted_at_rest(cast, alice, revise):
    revision = revise(
        alice, safe_places=SECRET_PLACE, people_to_call=f"Code word: {CODE_WORD}", note=CODE_WORD
    )

    content = raw("safety_safetyplanrevision", "content", revision.pk)
    note = raw("safety_safetyplanrevision", "note", revision.pk)
    for stored in (content, note):
        assert stored.startswith(TOKEN_PREFIX)
        assert CODE_WORD not in stored and "Elm" not in stored
    assert json.loads(SafetyPlanRevision.objects.get(pk=revision.pk).content)["safe_places"] == (
        SECRET_PLACE
    )


def test_the_audit_log_and_the_timeline_hold_section_names_never_the_text(
    cast, alice, revise, new_audit_events
):
    revise(alice, safe_places=SECRET_PLACE, people_to_call=CODE_WORD, note=f"{CODE_WORD} added")
    revise(alice, safe_places=SECRET_PLACE, people_to_call=f"{CODE_WORD}, call Rosa")

    written = " ".join(json.dumps(a.details) + a.reason for a in new_audit_events())
    written += json.dumps(list(CaseEvent.objects.values_list("data", flat=True)))
    assert CODE_WORD not in written and "Elm" not in written and "Rosa" not in written
    assert "people_to_call" in written


def test_the_plan_is_kept_per_person_and_follows_them_to_another_case(cast, alice, sam, revise):
    revise(alice, warning_signs="Drinking.")
    second_case = make_case(sam, assignee=cast.advocate, report_number="JA100002")
    second_case.primary_victim = cast.victim_a
    second_case.save(update_fields=["primary_victim"])

    revision = revise(alice, case=second_case, warning_signs="Drinking; he moved out.")

    assert SafetyPlan.objects.count() == 1
    assert (revision.number, revision.case) == (2, second_case)
    assert CaseEvent.objects.filter(case=second_case, kind=CaseEventKind.SAFETY_PLAN).count() == 1


def test_a_relative_the_case_serves_gets_a_plan_of_their_own(cast, alice, revise, sister):
    revise(alice, warning_signs="Drinking.")

    revision = revise(alice, person=sister, children="Picks up the kids on Tuesdays.")

    assert SafetyPlan.objects.count() == 2
    assert (revision.plan.person, revision.number) == (sister, 1)
    event = CaseEvent.objects.filter(kind=CaseEventKind.SAFETY_PLAN).latest("id")
    assert event.data == {"summary": "Revision 1 for Lee Reyes written: Children"}


def test_a_person_on_the_case_but_not_served_by_it_is_refused(cast, alice, revise, witness):
    with pytest.raises(ValidationError) as refused:
        revise(alice, person=witness, warning_signs="x")

    assert refused.value.message_dict["person"] == [
        "Wade Witt is not the victim or someone this case serves."
    ]
    assert counts() == (0, 0, 0)


def test_a_person_not_on_the_case_is_refused(cast, alice, revise):
    stranger = person_create(actor=alice, first_name="Sol", last_name="Stranger")

    with pytest.raises(ValidationError) as refused:
        revise(alice, person=stranger, warning_signs="x")

    assert "person" in refused.value.message_dict
    assert counts() == (0, 0, 0)


def test_a_plan_with_every_section_empty_is_refused(cast, alice, revise):
    with pytest.raises(ValidationError) as refused:
        revise(alice, warning_signs="   ", children="")

    assert refused.value.message_dict == {"sections": ["Write at least one section of the plan."]}
    assert counts() == (0, 0, 0)


def test_a_section_over_the_limit_is_refused_by_its_name(cast, alice, revise):
    with pytest.raises(ValidationError) as refused:
        revise(alice, children="x" * 4001, warning_signs="ok")

    assert refused.value.message_dict["children"] == [
        "Keep “Children” to 4000 characters (it has 4001)."
    ]
    assert counts() == (0, 0, 0)


def test_a_long_note_and_an_unknown_section_are_refused(cast, alice, revise):
    with pytest.raises(ValidationError) as long_note:
        revise(alice, warning_signs="ok", note="n" * 501)
    with pytest.raises(ValidationError) as unknown:
        revise(alice, warning_signs="ok", weapons="a gun in the car")

    assert "note" in long_note.value.message_dict
    assert unknown.value.message_dict["sections"][0].startswith("Unknown section weapons")
    assert counts() == (0, 0, 0)


def test_an_unknown_language_is_refused(cast, alice, revise):
    with pytest.raises(ValidationError) as refused:
        revise(alice, warning_signs="ok", language="klingon")

    assert refused.value.message_dict["language"] == [
        "Unknown language 'klingon': choose one from the list."
    ]
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("language", ["es", "ht", "de"])
def test_a_language_of_the_people_app_or_of_django_is_accepted(cast, alice, revise, language):
    revision = revise(alice, warning_signs="ok", language=language)

    assert SafetyPlanRevision.objects.get(pk=revision.pk).language == language


def test_saving_the_same_plan_again_is_refused_but_a_new_language_is_a_revision(
    cast, alice, revise
):
    revise(alice, warning_signs="Drinking.\r\nThreats.")

    with pytest.raises(ValidationError) as refused:
        revise(alice, warning_signs="Drinking.\nThreats.  ", note="no change")
    revision = revise(alice, warning_signs="Drinking.\nThreats.", language="es")

    assert "Nothing changed since revision 1" in refused.value.messages[0]
    assert (revision.number, revision.changed) == (2, [])
    assert SafetyPlan.objects.get().revision_count == 2
    assert CaseEvent.objects.filter(kind=CaseEventKind.SAFETY_PLAN).latest("id").data == {
        "summary": "Revision 2 revised: language"
    }


def test_a_form_started_before_a_colleagues_save_is_refused(cast, alice, bob, revise):
    revise(alice, warning_signs="Drinking.", based_on=0)
    revise(bob, warning_signs="Drinking; threats.", based_on=1)

    with pytest.raises(StaleEdit) as refused:
        revise(alice, warning_signs="Drinking; moved out.", based_on=1)

    assert (refused.value.sent, refused.value.saved_version) == (1, 2)
    assert refused.value.current.sections["warning_signs"] == "Drinking; threats."
    plan = SafetyPlan.objects.get()
    assert plan.revision_count == 2 and plan.revised_by == cast.advocate2
    assert SafetyPlanRevision.objects.count() == 2


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_roles_that_do_not_work_cases_are_refused(cast, revise, role):
    with pytest.raises(PermissionDenied):
        revise(cast.actor(role), warning_signs="x")

    assert counts() == (0, 0, 0)


def test_another_agencys_case_or_person_is_refused(cast, alice, charlie, revise):
    with pytest.raises(PermissionDenied):
        revise(charlie, warning_signs="x")  # Alice's case
    with pytest.raises(PermissionDenied):
        revise(alice, case=cast.case_b, warning_signs="x")
    with pytest.raises(PermissionDenied):
        revise(alice, person=cast.case_b.primary_victim, warning_signs="x")

    assert counts() == (0, 0, 0)


def test_a_colleagues_case_is_refused_where_advocates_see_only_their_caseload(cast, bob, revise):
    cast.agency_a.advocates_see_own_caseload_only = True
    cast.agency_a.save(update_fields=["advocates_see_own_caseload_only"])

    with pytest.raises(PermissionDenied, match="outside your caseload"):
        revise(cast.actor("advocate2"), warning_signs="x")

    assert counts() == (0, 0, 0)


def test_an_ended_case_is_refused(cast, alice, sam, revise):
    case_change_status(actor=sam, case=cast.case_a, status="declined", reason="Does not want help")

    with pytest.raises(ValidationError, match="This case has ended"):
        revise(alice, warning_signs="x")

    assert counts() == (0, 0, 0)


def test_a_revision_is_never_changed_or_deleted(cast, alice, revise):
    revision = revise(alice, warning_signs="Drinking.")

    revision.language = "es"
    with pytest.raises(PermissionError):
        revision.save()
    with pytest.raises(PermissionError):
        revision.delete()

    stored = SafetyPlanRevision.objects.get(pk=revision.pk)
    assert stored.language == "en" and stored.sections["warning_signs"] == "Drinking."


def test_key_rotation_re_encrypts_revisions_though_they_are_never_edited(
    cast, alice, revise, settings
):
    old, new = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    revision = revise(alice, safe_places=SECRET_PLACE, note=CODE_WORD)
    before = raw("safety_safetyplanrevision", "content", revision.pk)
    settings.FIELD_ENCRYPTION_KEYS = [new, old]

    call_command("rotate_field_keys", stdout=StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [new]
    after = raw("safety_safetyplanrevision", "content", revision.pk)
    assert after != before and after.startswith(TOKEN_PREFIX)
    stored = SafetyPlanRevision.objects.get(pk=revision.pk)
    assert stored.sections["safe_places"] == SECRET_PLACE and stored.note == CODE_WORD
