"""The operator: agencies with counts, creating one (page and command), suspending one."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from haven.accounts.models import Invitation
from haven.agencies.models import Agency, Membership, ServiceHours
from haven.agencies.roles import Role
from haven.audit.models import AuditAction, AuditEvent
from haven.cases.testing import PASSWORD
from haven.integrations.models import ApiToken
from haven.integrations.services import api_token_create
from haven.outreach.models import OutreachRule
from haven.platform.services import agency_suspend
from haven.reports.models import ReportGoals


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_user(
        username="olga@county.gov", email="olga@county.gov", password=PASSWORD, is_staff=True
    )


@pytest.fixture
def as_operator(client, operator):
    client.force_login(operator)
    return client


def test_agency_create_command_sets_up_the_agency_and_its_coordinator(
    db, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "agency_create",
            slug="hillview",
            name="Hillview PD Victim Services",
            timezone="America/Denver",
            coordinator="Chief@Hillview.gov",
            site_url="http://haven.test",
        )

    agency = Agency.objects.get(slug="hillview")
    out = capsys.readouterr().out
    assert "http://haven.test/accounts/invitation/" in out
    assert agency.time_zone == "America/Denver" and agency.is_active
    assert ServiceHours.objects.filter(agency=agency).count() == 5
    assert OutreachRule.objects.filter(agency=agency).exists()
    assert ReportGoals.objects.filter(agency=agency).exists()
    member = Membership.objects.get(agency=agency)
    assert member.role == Role.COORDINATOR and member.user.email == "chief@hillview.gov"
    assert mail.outbox[0].to == ["chief@hillview.gov"]
    actions = set(AuditEvent.objects.filter(agency_id=agency.pk).values_list("action", flat=True))
    assert {AuditAction.AGENCY_CREATE, AuditAction.MEMBER_INVITE} <= actions


@pytest.mark.parametrize(
    "options, message",
    [
        ({"slug": "Bad Slug"}, "slug"),
        ({"timezone": "Mars/Olympus"}, "time zone"),
        ({"coordinator": "nobody"}, "email"),
    ],
)
def test_agency_create_refuses_bad_input_and_creates_nothing(db, options, message):
    args = {
        "slug": "hv",
        "name": "Hillview",
        "timezone": "America/Denver",
        "coordinator": "c@h.gov",
    }
    with pytest.raises(CommandError, match=message):
        call_command("agency_create", **(args | options))

    assert not Agency.objects.exists()
    assert not Invitation.objects.exists()


def test_the_operator_lists_agencies_with_counts_and_no_victim_data(as_operator, cast):
    page = as_operator.get(reverse("platform:agencies"))

    body = page.content.decode()
    assert page.status_code == 200
    assert "Riverside Police Department Victim Services" in body
    assert "Dana" not in body and "Reyes" not in body  # the cast's victim


def test_staff_of_an_agency_cannot_open_the_operator_pages(client_as, cast):
    assert client_as("coordinator").get(reverse("platform:agencies")).status_code == 403


def test_the_operator_list_is_one_query(as_operator, cast, django_assert_max_num_queries):
    # The list itself is one query; the rest is the signed-in request's own constant cost
    # (session, user, django-otp's devices of each kind, the audit event).
    with django_assert_max_num_queries(11):
        as_operator.get(reverse("platform:agencies"))


def test_the_operator_creates_an_agency_from_the_page(as_operator, db):
    response = as_operator.post(
        reverse("platform:agency_new"),
        {
            "name": "Hillview",
            "slug": "hillview",
            "time_zone": "America/Denver",
            "coordinator_email": "c@hillview.gov",
        },
    )

    agency = Agency.objects.get(slug="hillview")
    assert response.status_code == 302
    event = AuditEvent.objects.get(agency_id=agency.pk, action=AuditAction.AGENCY_CREATE)
    assert event.actor_label == "operator olga@county.gov"


def test_a_suspended_agency_refuses_sign_ins_tokens_and_partner_links(as_operator, cast, client):
    from haven.core.actor import Actor

    token, secret = api_token_create(actor=Actor.system(cast.agency_a, "t"), name="RMS")
    response = as_operator.post(
        reverse("platform:agency_suspend", args=[cast.agency_a.pk]), {"reason": "contract ended"}
    )
    assert response.status_code == 302
    as_operator.logout()

    sign_in = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    api = client.post("/api/v1/incidents/import/", {}, HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert sign_in.status_code == 200 and "suspended" in sign_in.content.decode()
    assert api.status_code in (401, 403)
    assert Agency.objects.get(pk=cast.agency_a.pk).is_active is False
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None  # kept, just refused
    assert Membership.objects.filter(agency=cast.agency_a, is_active=True).count() == 7


def test_suspending_ends_open_sessions_and_reactivating_restores(cast, client, operator):
    from haven.platform.services import agency_reactivate

    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    agency_suspend(operator=operator, agency=cast.agency_a, reason="unpaid")

    ended = client.get(reverse("cases:caseload"))
    agency_reactivate(operator=operator, agency=cast.agency_a)
    back = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert ended.status_code == 302 and "ended=1" in ended.url
    assert back.status_code == 302


def test_suspending_needs_a_reason(as_operator, cast):
    response = as_operator.post(reverse("platform:agency_suspend", args=[cast.agency_a.pk]), {})

    assert response.status_code == 400
    assert Agency.objects.get(pk=cast.agency_a.pk).is_active


def test_operator_invite_command_and_link(db, capsys, client):
    call_command("operator_invite", email="ops@county.gov")
    link = capsys.readouterr().out.strip().splitlines()[-1]
    path = link.split("8000", 1)[1]

    response = client.post(
        path,
        {
            "new_password1": "granite willow comet forty",
            "new_password2": "granite willow comet forty",
        },
    )

    assert response.status_code == 302 and response.url == reverse("platform:agencies")
    assert get_user_model().objects.get(email="ops@county.gov").is_staff


def test_a_suspended_agencys_partner_links_are_refused(cast, client, operator):
    from haven.referrals.tests.helpers import B_TOKEN, other_agency_referral

    other_agency_referral(cast)
    url = reverse("referrals:partner", args=[cast.agency_b.slug, B_TOKEN])
    before = client.get(url)
    agency_suspend(operator=operator, agency=cast.agency_b, reason="contract ended")
    after = client.get(url)

    assert before.status_code == 200
    assert after.status_code == 404


def test_only_operators_suspend(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        agency_suspend(operator=cast.coordinator.user, agency=cast.agency_a, reason="x")
    assert Agency.objects.get(pk=cast.agency_a.pk).is_active
