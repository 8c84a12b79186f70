from datetime import date

import pytest
from django.core.exceptions import ValidationError

from haven.audit.models import AuditAction
from haven.cases.people_selectors import people_matching
from haven.cases.testing import make_case
from haven.people.models import ContactKind
from haven.people.services import (
    contact_point_add,
    person_alias_add,
    person_create,
    person_update,
)

DOB = date(1988, 2, 29)


@pytest.fixture
def dana(cast, alice):
    """Case A's victim, with a birth date and an email besides the cast's phone."""
    victim = cast.victim_a
    person_update(actor=alice, person=victim, date_of_birth=DOB)
    contact_point_add(
        actor=alice, person=victim, kind=ContactKind.EMAIL, value="dana.reyes@example.org"
    )
    return victim


@pytest.mark.parametrize("phone", ["(312) 555-0142", "312.555.0142", "+1 312 555 0142"])
def test_it_finds_a_person_by_phone_however_it_is_written(alice, dana, phone, new_audit_events):
    assert people_matching(alice, phone=phone) == [dana]
    [audit] = new_audit_events(action=AuditAction.PERSON_SEARCH)
    assert audit.details == {"keys": ["phone"], "found": [dana.pk]}
    assert "0142" not in str(audit.details)


def test_it_finds_a_person_by_email_in_any_case(alice, dana):
    assert people_matching(alice, email="Dana.Reyes@EXAMPLE.org") == [dana]


def test_it_finds_a_person_by_name_and_birth_date(alice, dana, new_audit_events):
    assert people_matching(alice, first_name="dana", last_name="REYES", date_of_birth=DOB) == [dana]
    assert (
        people_matching(alice, first_name="Dana", last_name="Reyes", date_of_birth=date(1988, 3, 1))
        == []
    )
    audits = new_audit_events(action=AuditAction.PERSON_SEARCH)
    assert [a.details["keys"] for a in audits] == [["name_dob"], ["name_dob"]]


def test_several_keys_find_each_person_once(alice, dana):
    assert people_matching(
        alice,
        phone="312-555-0142",
        email="dana.reyes@example.org",
        first_name="Dana",
        last_name="Reyes",
        date_of_birth=DOB,
    ) == [dana]


def test_a_first_name_alone_is_no_search(alice, dana, new_audit_events):
    assert people_matching(alice, first_name="Dana") == []
    assert new_audit_events() == []


def test_it_finds_nobody_outside_the_actors_agency(cast, charlie, dana, new_audit_events):
    # Agency B's victim has the same phone number as Dana (make_case gives it to everyone).
    erin = cast.case_b.primary_victim

    assert people_matching(charlie, phone="312-555-0142") == [erin]
    assert people_matching(charlie, email="dana.reyes@example.org") == []
    audits = new_audit_events(action=AuditAction.PERSON_SEARCH)
    assert [a.details["found"] for a in audits] == [[erin.pk], []]
    assert {a.agency_id for a in audits} == {cast.agency_b.pk}


def test_it_finds_nobody_outside_a_narrowed_advocates_caseload(cast, sam, dana):
    bobs = make_case(sam, first_name="Hal", last_name="Ng", assignee=cast.advocate2)
    cast.agency_a.advocates_see_own_caseload_only = True
    cast.agency_a.save(update_fields=["advocates_see_own_caseload_only"])

    # The cast's victim and Bob's share the phone number make_case gives everyone.
    assert people_matching(cast.actor("advocate"), phone="312-555-0142") == [dana]
    assert people_matching(cast.actor("advocate2"), phone="312-555-0142") == [bobs.primary_victim]


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_roles_without_person_view_find_nobody(cast, role, dana):
    assert people_matching(cast.actor(role), phone="312-555-0142") == []


def test_a_person_not_yet_on_a_case_is_found_by_an_advocate(alice):
    ivy = person_create(actor=alice, first_name="Ivy", last_name="Lone", date_of_birth=DOB)

    assert people_matching(alice, first_name="Ivy", last_name="Lone", date_of_birth=DOB) == [ivy]


def test_a_malformed_phone_says_what_to_fix(alice):
    with pytest.raises(ValidationError, match="area code"):
        people_matching(alice, phone="555-01")


def test_it_finds_a_person_by_first_and_last_name_alone(alice, dana, new_audit_events):
    assert people_matching(alice, first_name="DANA", last_name=" reyes ") == [dana]
    assert people_matching(alice, first_name="Dan", last_name="Reyes") == []
    audits = new_audit_events(action=AuditAction.PERSON_SEARCH)
    assert [a.details for a in audits] == [
        {"keys": ["name"], "found": [dana.pk]},
        {"keys": ["name"], "found": []},
    ]


def test_it_finds_a_last_name_only_whole_never_a_part(alice, dana, new_audit_events):
    assert people_matching(alice, last_name="Reyes") == [dana]
    # Before names were encrypted, the case list matched the start of a last name.
    assert people_matching(alice, last_name="Rey") == []
    audits = new_audit_events(action=AuditAction.PERSON_SEARCH)
    assert [a.details["keys"] for a in audits] == [["last_name"], ["last_name"]]


def test_it_finds_a_person_by_an_alias(alice, dana):
    person_alias_add(actor=alice, person=dana, first_name="Dana", last_name="Whitfield")

    assert people_matching(alice, first_name="dana", last_name="WHITFIELD") == [dana]
    assert people_matching(alice, last_name="Whitfield") == [dana]
    # The birth date narrows an alias too (the person's own, read after decrypting).
    assert people_matching(alice, first_name="Dana", last_name="Whitfield", date_of_birth=DOB) == [
        dana
    ]
    assert (
        people_matching(
            alice, first_name="Dana", last_name="Whitfield", date_of_birth=date(1990, 1, 1)
        )
        == []
    )


def test_an_alias_of_another_agency_finds_nobody(cast, charlie, alice, dana):
    person_alias_add(actor=alice, person=dana, first_name="Dana", last_name="Whitfield")

    assert people_matching(charlie, last_name="Whitfield") == []


def test_the_search_results_come_sorted_by_name_after_decrypting(alice, dana):
    make_case(alice, first_name="Zoe", last_name="Reyes")
    make_case(alice, first_name="Abe", last_name="Reyes")

    found = people_matching(alice, last_name="Reyes")

    assert [p.first_name for p in found] == ["Abe", "Dana", "Zoe"]
