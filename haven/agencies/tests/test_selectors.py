from haven.agencies.models import Membership
from haven.agencies.selectors import active_membership_for
from haven.cases.selectors import caseworkers
from haven.cases.services import case_change_status
from haven.cases.testing import make_case, make_member


def test_caseworkers_lists_the_agencys_active_specialists_with_open_caseloads(cast):
    sam = cast.actor("supervisor")
    make_member(cast.agency_a, "gwen", "advocate", is_active=False)
    make_case(sam, last_name="Two", assignee=cast.advocate)
    closed = make_case(sam, last_name="Closed", assignee=cast.advocate)
    case_change_status(actor=sam, case=closed, status="closed", reason="Done")
    make_case(sam, last_name="Bobs", assignee=cast.advocate2)

    workers = list(caseworkers(cast.actor("supervisor")))

    # Ordered by last name: Avery, Burke, Cole, Sutter.
    assert workers == [cast.advocate, cast.advocate2, cast.coordinator, cast.supervisor]
    assert [w.open_cases for w in workers] == [2, 1, 0, 0]


def test_caseworkers_never_lists_another_agencys_staff(cast):
    assert list(caseworkers(cast.actor("other_advocate"))) == [cast.other_advocate]


def test_a_user_acts_through_their_only_membership(cast):
    assert active_membership_for(cast.advocate.user) == cast.advocate


def test_a_user_in_two_agencies_acts_through_the_one_chosen(cast):
    alice_in_b = Membership.objects.create(
        agency=cast.agency_b, user=cast.advocate.user, role="advocate"
    )

    assert active_membership_for(cast.advocate.user, cast.agency_b.pk) == alice_in_b
    assert active_membership_for(cast.advocate.user, cast.agency_a.pk) == cast.advocate
    # Nothing chosen, or an agency she is not in: the first by agency name ("Lakeside").
    assert active_membership_for(cast.advocate.user) == alice_in_b
    assert active_membership_for(cast.advocate.user, 999999) == alice_in_b


def test_a_deactivated_member_acts_through_nothing(cast):
    cast.advocate.is_active = False
    cast.advocate.save(update_fields=["is_active"])

    assert active_membership_for(cast.advocate.user) is None
