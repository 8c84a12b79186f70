"""The permission table is data: these tests pin the promises the rest of Haven leans on."""

import pytest
from django.core.exceptions import PermissionDenied

from haven.agencies.roles import CASEWORKER_ROLES, ROLE_PERMISSIONS, Perm, Role
from haven.core.actor import Actor


def test_every_role_has_its_permissions_listed():
    assert set(ROLE_PERMISSIONS) == set(Role)


@pytest.mark.parametrize("role", list(Role))
def test_no_role_reads_case_records_without_working_them(role):
    # access_case(write=True) answers 403 for such a reader; today nobody is one.
    perms = ROLE_PERMISSIONS[role]
    assert (Perm.CASE_VIEW in perms) == (Perm.CASE_WORK in perms)
    if role != Role.VOLUNTEER:  # a volunteer sees the person, never changes who they are
        assert (Perm.PERSON_VIEW in perms) == (Perm.PERSON_EDIT in perms)


def test_a_volunteer_works_cases_but_never_edits_a_person_or_holds_a_caseload():
    perms = ROLE_PERMISSIONS[Role.VOLUNTEER]
    assert {Perm.CASE_VIEW, Perm.CASE_WORK, Perm.PERSON_VIEW} <= perms
    assert Perm.PERSON_EDIT not in perms
    assert Role.VOLUNTEER not in CASEWORKER_ROLES  # cases are never assigned to them


def test_caseworkers_are_exactly_the_roles_that_work_cases_and_hold_a_caseload():
    working = {r for r in Role if Perm.CASE_WORK in ROLE_PERMISSIONS[r]}
    assert working - {Role.VOLUNTEER} == set(CASEWORKER_ROLES)


def test_an_officer_refers_victims_and_learns_only_whether_a_victim_is_served():
    assert ROLE_PERMISSIONS[Role.OFFICER] == {Perm.SERVED_STATUS, Perm.SCENE_REFERRAL}


def test_an_analyst_sees_aggregates_only():
    assert ROLE_PERMISSIONS[Role.ANALYST] == {Perm.AGGREGATES_VIEW}


def test_an_auditor_reads_the_access_log_and_certificates_of_destruction_only():
    assert ROLE_PERMISSIONS[Role.AUDITOR] == {Perm.AUDIT_VIEW, Perm.RETENTION_CERTIFICATES}


def test_only_supervisors_and_coordinators_assign():
    assert {r for r in Role if Perm.CASE_ASSIGN in ROLE_PERMISSIONS[r]} == {
        Role.SUPERVISOR,
        Role.COORDINATOR,
    }


def test_only_coordinators_configure_the_agency():
    assert {r for r in Role if Perm.AGENCY_CONFIGURE in ROLE_PERMISSIONS[r]} == {
        Role.COORDINATOR,
    }


def test_an_actor_requires_what_its_role_grants(cast):
    officer = cast.actor("officer")

    officer.require(Perm.SERVED_STATUS)
    with pytest.raises(PermissionDenied, match="case.view"):
        officer.require(Perm.CASE_VIEW)


def test_the_system_actor_may_do_anything_and_says_who_it_is(cast):
    system = Actor.system(cast.agency_a, "manage.py demo")

    assert all(system.has(perm) for perm in Perm)
    assert system.sees_all_cases
    assert (system.role, system.label, system.user_id) == ("system", "manage.py demo", None)


def test_an_advocate_sees_all_cases_unless_the_agency_narrows_it(cast):
    assert cast.actor("advocate").sees_all_cases
    cast.agency_a.advocates_see_own_caseload_only = True

    assert not cast.actor("advocate").sees_all_cases
    assert cast.actor("supervisor").sees_all_cases
    assert cast.actor("coordinator").sees_all_cases
    assert not cast.actor("officer").sees_all_cases


def test_an_actor_keeps_only_the_start_of_a_long_user_agent(cast):
    actor = Actor.for_membership(cast.advocate, user_agent="x" * 500)

    assert len(actor.user_agent) == 300
