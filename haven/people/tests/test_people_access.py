import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from haven.agencies.roles import ROLE_PERMISSIONS, Perm
from haven.audit.models import AuditAction
from haven.cases.models import Relation
from haven.cases.people_access import access_person, people_visible_to
from haven.cases.services import case_add_person
from haven.cases.testing import make_case
from haven.people.services import person_create


def narrow_advocates(cast):
    cast.agency_a.advocates_see_own_caseload_only = True
    cast.agency_a.save(update_fields=["advocates_see_own_caseload_only"])


@pytest.fixture
def brother(cast, alice):
    """Someone on Alice's case who is not its victim."""
    person = person_create(actor=alice, first_name="Rob", last_name="Reyes")
    case_add_person(actor=alice, case=cast.case_a, person=person, relation=Relation.FAMILY)
    return person


@pytest.fixture
def bobs_victim(cast, sam):
    return make_case(sam, first_name="Hal", last_name="Ng", assignee=cast.advocate2).primary_victim


def test_a_caseworker_reads_a_person_and_the_read_is_audited(cast, alice, new_audit_events):
    person = access_person(alice, str(cast.victim_a.pk))

    assert person == cast.victim_a
    [audit] = new_audit_events()
    assert audit.action == AuditAction.PERSON_VIEW
    assert audit.object_type == "people.person"
    assert audit.object_id == str(cast.victim_a.pk)
    assert audit.actor_id == cast.advocate.user_id


def test_opening_a_person_to_edit_is_not_audited_as_a_read(cast, alice, new_audit_events):
    assert access_person(alice, cast.victim_a.pk, write=True) == cast.victim_a
    assert new_audit_events() == []


def test_an_advocate_sees_every_person_of_the_agency_unless_narrowed(
    cast, alice, brother, bobs_victim
):
    unattached = person_create(actor=alice, first_name="Ivy", last_name="Lone")

    assert set(people_visible_to(alice)) == {cast.victim_a, brother, bobs_victim, unattached}


def test_an_advocate_narrowed_to_her_caseload_sees_only_its_people(cast, brother, bobs_victim):
    narrow_advocates(cast)
    alice = cast.actor("advocate")

    assert set(people_visible_to(alice)) == {cast.victim_a, brother}
    assert access_person(alice, brother.pk) == brother


def test_an_advocate_narrowed_to_her_caseload_cannot_open_other_people(
    cast, bobs_victim, new_audit_events
):
    narrow_advocates(cast)

    with pytest.raises(Http404):
        access_person(cast.actor("advocate"), bobs_victim.pk)
    with pytest.raises(Http404):
        access_person(cast.actor("advocate2"), cast.victim_a.pk)
    assert new_audit_events() == []


def test_narrowing_leaves_supervisors_seeing_everyone(cast, sam, bobs_victim):
    narrow_advocates(cast)

    assert access_person(cast.actor("supervisor"), bobs_victim.pk) == bobs_victim


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
@pytest.mark.parametrize("write", [False, True])
def test_roles_without_person_view_cannot_open_a_person(cast, role, write, new_audit_events):
    actor = cast.actor(role)

    with pytest.raises(Http404):
        access_person(actor, cast.victim_a.pk, write=write)

    assert list(people_visible_to(actor)) == []
    assert new_audit_events() == []


def test_another_agencys_person_is_not_found(cast, charlie, new_audit_events):
    with pytest.raises(Http404):
        access_person(charlie, cast.victim_a.pk)

    assert cast.victim_a not in people_visible_to(charlie)
    assert new_audit_events() == []


@pytest.mark.parametrize("person_id", ["999999", "abc", "", None])
def test_a_missing_or_malformed_id_is_not_found(alice, person_id):
    with pytest.raises(Http404):
        access_person(alice, person_id)


def test_a_reader_who_may_not_edit_people_is_refused_writing(cast, monkeypatch, new_audit_events):
    # No real role may view people without editing them; this one is made up for the test.
    monkeypatch.setitem(
        ROLE_PERMISSIONS,
        "reader",
        frozenset({Perm.CASE_VIEW, Perm.CASE_VIEW_ALL, Perm.PERSON_VIEW}),
    )
    cast.advocate2.role = "reader"  # in memory only
    reader = cast.actor("advocate2")

    assert access_person(reader, cast.victim_a.pk) == cast.victim_a
    with pytest.raises(PermissionDenied):
        access_person(reader, cast.victim_a.pk, write=True)
    assert [a.action for a in new_audit_events()] == [AuditAction.PERSON_VIEW]
