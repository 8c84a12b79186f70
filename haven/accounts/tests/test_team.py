"""The Team page: roles, deactivation (sessions, tokens, cases, supervisors), reactivation."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from haven.accounts.services import member_deactivate, member_reactivate, member_role_change
from haven.agencies.models import Membership
from haven.agencies.roles import Role
from haven.audit.models import AuditAction
from haven.cases.models import Case
from haven.cases.testing import PASSWORD
from haven.integrations.models import ApiToken
from haven.integrations.services import api_token_create


def test_the_team_page_lists_the_agency_only_for_coordinators(client_as, cast):
    page = client_as("coordinator").get(reverse("accounts:team"))

    body = page.content.decode()
    assert page.status_code == 200
    assert "Alice Avery" in body and "Charlie Chen" not in body
    assert client_as("supervisor").get(reverse("accounts:team")).status_code == 403


def test_the_team_page_invites_by_email(client_as, cast, django_capture_on_commit_callbacks):
    client = client_as("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:team_invite"),
            {"email": "dee@riverside.gov", "role": "advocate", "district": cast.district_a.pk},
        )

    assert response.status_code == 302
    member = Membership.objects.get(user__email="dee@riverside.gov")
    assert member.district == cast.district_a and member.agency == cast.agency_a
    assert mail.outbox[0].to == ["dee@riverside.gov"]


def test_a_bad_address_is_answered_on_the_form(client_as, cast):
    response = client_as("coordinator").post(
        reverse("accounts:team_invite"), {"email": "not an address", "role": "advocate"}
    )

    assert response.status_code == 400
    assert "email address" in response.content.decode()


def test_a_role_changes_and_is_audited(cora, cast, new_audit_events):
    member_role_change(actor=cora, member=cast.advocate2, role=Role.SUPERVISOR)

    assert Membership.objects.get(pk=cast.advocate2.pk).role == Role.SUPERVISOR
    event = new_audit_events(action=AuditAction.MEMBER_ROLE)[0]
    assert event.details == {"before": "advocate", "after": "supervisor"}


def test_demoting_the_last_coordinator_is_refused(client_as, cast):
    response = client_as("coordinator").post(
        reverse("accounts:member_role", args=[cast.coordinator.pk]), {"role": "advocate"}
    )

    assert response.status_code == 400
    assert "last coordinator" in response.content.decode()
    assert Membership.objects.get(pk=cast.coordinator.pk).role == Role.COORDINATOR


def test_deactivating_the_last_coordinator_is_refused(cast):
    from haven.core.actor import Actor

    system = Actor.system(cast.agency_a, "test")
    with pytest.raises(ValidationError, match="last coordinator"):
        member_deactivate(actor=system, member=cast.coordinator)
    assert Membership.objects.get(pk=cast.coordinator.pk).is_active


def test_a_role_without_caseload_is_refused_while_cases_are_open(cora, cast):
    with pytest.raises(ValidationError, match="open case"):
        member_role_change(actor=cora, member=cast.advocate, role=Role.ANALYST)


def test_deactivating_moves_cases_revokes_tokens_and_tells_supervisors(
    cast, client, django_capture_on_commit_callbacks, new_audit_events
):
    alice = cast.advocate
    from haven.core.actor import Actor

    alice_actor = Actor.for_membership(alice)
    # A token Alice made while she was coordinator (tokens need agency.configure).
    Membership.objects.filter(pk=alice.pk).update(role=Role.COORDINATOR)
    alice.refresh_from_db()
    token, _secret = api_token_create(actor=Actor.for_membership(alice), name="RMS")
    Membership.objects.filter(pk=alice.pk).update(role=Role.ADVOCATE)
    alice.refresh_from_db()
    del alice_actor
    cast.supervisor.user.email = "sam@riverside.gov"
    cast.supervisor.user.save()
    coordinator = client
    coordinator.force_login(cast.coordinator.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("accounts:member_deactivate", args=[alice.pk]), {"cases_to": cast.advocate2.pk}
        )

    assert response.status_code == 302
    assert not Membership.objects.get(pk=alice.pk).is_active
    assert Case.objects.get(pk=cast.case_a.pk).assigned_to == cast.advocate2
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert mail.outbox[-1].to == ["sam@riverside.gov"]
    assert "Bob Burke" in mail.outbox[-1].body
    details = new_audit_events(action=AuditAction.MEMBER_DEACTIVATE)[0].details
    assert details["cases_moved"] == 1 and details["tokens_revoked"] == 1


def test_deactivating_to_the_queue_leaves_cases_unassigned(cora, cast):
    member_deactivate(actor=cora, member=cast.advocate)

    assert Case.objects.get(pk=cast.case_a.pk).assigned_to is None


def test_a_deactivated_members_open_session_ends_at_once(cast, client, cora):
    from django.contrib.sessions.models import Session

    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    session = client.session
    assert session["agency_id"] == cast.agency_a.pk
    assert client.get(reverse("cases:caseload")).status_code == 200

    member_deactivate(actor=cora, member=cast.advocate)

    assert not Session.objects.filter(session_key=session.session_key).exists()
    response = client.get(reverse("cases:caseload"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_middleware_ends_a_session_the_store_still_holds(cast, client):
    """Even if the session row survived (a cache store), the next request signs them out."""
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    session = client.session
    assert session["agency_id"] == cast.agency_a.pk
    Membership.objects.filter(pk=cast.advocate.pk).update(is_active=False)

    response = client.get(reverse("cases:caseload"))

    assert response.status_code == 302 and "ended=1" in response.url
    assert "_auth_user_id" not in client.session


def test_deactivated_members_cannot_sign_in_and_are_told(cast, client, cora, new_audit_events):
    member_deactivate(actor=cora, member=cast.advocate)

    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    assert "deactivated" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert new_audit_events(action=AuditAction.SIGN_IN_REFUSED)


def test_reactivation_lets_them_back_in(cora, cast, client):
    member_deactivate(actor=cora, member=cast.advocate)
    member_reactivate(actor=cora, member=Membership.objects.get(pk=cast.advocate.pk))

    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert Membership.objects.get(pk=cast.advocate.pk).is_active


def test_another_agencys_member_is_not_found(client_as, cast):
    response = client_as("coordinator").post(
        reverse("accounts:member_deactivate", args=[cast.other_advocate.pk])
    )

    assert response.status_code == 404
    assert Membership.objects.get(pk=cast.other_advocate.pk).is_active


def test_a_person_in_two_agencies_picks_one(cast, client):
    Membership.objects.create(agency=cast.agency_b, user=cast.advocate.user, role=Role.SUPERVISOR)

    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:agency_pick"))
    picked = client.post(reverse("accounts:agency_pick"), {"agency": cast.agency_b.pk})

    assert picked.status_code == 302
    assert client.session["agency_id"] == cast.agency_b.pk
    page = client.get(reverse("cases:list"))
    assert "Erin" in page.content.decode() or page.status_code == 200
    assert client.get(reverse("home")).url == reverse("cases:list")  # a supervisor in B


def test_the_team_page_takes_the_same_queries_however_big_the_team(
    client_as, cast, cora, django_assert_num_queries
):
    client = client_as("coordinator")
    client.get(reverse("accounts:team"))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("accounts:team"))
    for n in range(5):
        from haven.accounts.services import invitation_create

        invitation_create(actor=cora, email=f"new{n}@riverside.gov", role=Role.ADVOCATE)
    with CaptureQueriesContext(connection) as big:
        response = client.get(reverse("accounts:team"))

    assert response.status_code == 200 and "new4@riverside.gov" in response.content.decode()
    assert len(big.captured_queries) == len(small.captured_queries)


def test_a_members_page_counts_their_open_cases_alone(
    client_as, cast, cora, django_assert_num_queries
):
    from haven.cases.testing import make_case

    sam = cast.actor("supervisor")
    for n in range(3):
        make_case(sam, last_name=f"Open{n}", assignee=cast.advocate)
    closed = make_case(sam, last_name="Closed", assignee=cast.advocate)
    Case.objects.filter(pk=closed.pk).update(status="closed")
    expected = Case.objects.filter(assigned_to=cast.advocate, status__in=["new", "active"]).count()
    client = client_as("coordinator")
    url = reverse("accounts:member", args=[cast.advocate.pk])
    client.get(url)

    with django_assert_num_queries(10):
        page = client.get(url).content.decode()

    assert expected == 4 and "4 open cases" in page
