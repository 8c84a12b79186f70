import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.audit.models import AuditAction
from haven.cases.models import CaseEventKind, CasePerson, Relation
from haven.cases.services import case_add_person, work
from haven.cases.tests.conftest import NON_CASEWORKER_ROLES
from haven.people.services import person_create


@pytest.fixture
def child(alice):
    return person_create(actor=alice, first_name="Mia", last_name="Reyes")


def test_it_adds_a_person_with_a_timeline_line_and_audit_event(
    cast, alice, child, new_audit_events
):
    link = case_add_person(actor=alice, case=cast.case_a, person=child, relation=Relation.CHILD)

    link = CasePerson.objects.get(pk=link.pk)
    assert (link.case, link.person, link.relation, link.is_served) == (
        cast.case_a,
        child,
        "child",
        True,
    )
    event = cast.case_a.events.get(kind=CaseEventKind.PERSON_ADDED)
    assert event.actor == cast.advocate
    assert event.data == {"name": "Mia Reyes", "relation": "Child"}
    [audit] = new_audit_events(action=AuditAction.CASE_PERSON_ADD)
    assert audit.object_type == "cases.case"
    assert audit.object_id == str(cast.case_a.pk)
    # Ids only in the access log, never the name.
    assert audit.details == {"person": child.pk, "relation": "child"}


def test_it_adds_a_person_the_case_does_not_serve(cast, alice, child):
    link = case_add_person(
        actor=alice, case=cast.case_a, person=child, relation=Relation.WITNESS, is_served=False
    )

    assert CasePerson.objects.get(pk=link.pk).is_served is False


def test_it_refuses_the_primary_victim(cast, alice, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        case_add_person(
            actor=alice, case=cast.case_a, person=cast.victim_a, relation=Relation.OTHER
        )

    assert "already on this case" in refused.value.message_dict["person"][0]
    assert row_counts() == before


def test_it_refuses_someone_already_on_the_case(cast, alice, child, row_counts):
    case_add_person(actor=alice, case=cast.case_a, person=child, relation=Relation.CHILD)
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        case_add_person(actor=alice, case=cast.case_a, person=child, relation=Relation.FAMILY)

    assert "person" in refused.value.message_dict
    assert row_counts() == before


def test_it_refuses_a_person_of_another_agency(cast, alice, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        case_add_person(
            actor=alice,
            case=cast.case_a,
            person=cast.case_b.primary_victim,
            relation=Relation.FRIEND,
        )

    assert "person" in refused.value.message_dict
    assert row_counts() == before


def test_it_refuses_an_unknown_relation(cast, alice, child, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        case_add_person(actor=alice, case=cast.case_a, person=child, relation="nemesis")

    assert "relation" in refused.value.message_dict
    assert row_counts() == before


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_it_is_refused_to_roles_that_do_not_work_cases(cast, role, child, row_counts):
    before = row_counts()

    with pytest.raises(PermissionDenied):
        case_add_person(
            actor=cast.actor(role), case=cast.case_a, person=child, relation=Relation.CHILD
        )

    assert row_counts() == before


def test_nothing_is_left_behind_when_it_fails_halfway(cast, alice, child, monkeypatch, row_counts):
    before = row_counts()

    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(work, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        case_add_person(actor=alice, case=cast.case_a, person=child, relation=Relation.CHILD)

    assert row_counts() == before
