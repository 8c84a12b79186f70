"""The coordinator's agency page: settings, districts, who serves which district."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.agencies.models import Agency, District, Membership
from haven.agencies.services import (
    AgencySettings,
    agency_settings_update,
    district_save,
    membership_set_district,
)
from haven.audit.models import AuditAction
from haven.core.scoping import agency_scope

pytestmark = pytest.mark.django_db

SETTINGS = {
    "time_zone": "America/Denver",
    "first_contact_goal_hours": "48",
    "advocates_see_own_caseload_only": "on",
    "closure_review_required": "on",
}


def test_a_coordinator_changes_the_settings_and_the_audit_names_them(
    client, cast, new_audit_events
):
    client.force_login(cast.coordinator.user)

    response = client.post("/agency/", SETTINGS)

    assert response.status_code == 302
    agency = Agency.objects.get(pk=cast.agency_a.pk)
    assert (agency.time_zone, agency.first_contact_goal_hours) == ("America/Denver", 48)
    assert agency.advocates_see_own_caseload_only and agency.closure_review_required
    [event] = new_audit_events(action=AuditAction.AGENCY_SETTINGS)
    assert event.details["fields"] == [
        "time_zone",
        "first_contact_goal_hours",
        "advocates_see_own_caseload_only",
        "closure_review_required",
    ]


def test_bad_settings_say_what_to_fix(cast, cora):
    with agency_scope(cast.agency_a), pytest.raises(ValidationError) as refused:
        agency_settings_update(
            actor=cora,
            settings=AgencySettings("Mars/Olympus", 0, False, False),
        )
    assert set(refused.value.message_dict) == {"time_zone", "first_contact_goal_hours"}
    assert Agency.objects.get(pk=cast.agency_a.pk).time_zone == "America/Chicago"


def test_a_coordinator_adds_a_district_and_says_who_serves_it(client, cast):
    client.force_login(cast.coordinator.user)

    client.post("/agency/districts/", {"code": "015", "name": "Austin"})
    with agency_scope(cast.agency_a):
        district = District.objects.get(code="015")
    member = cast.advocate2
    client.post(f"/agency/team/{member.pk}/district/", {f"m{member.pk}-district": district.pk})

    assert Membership.objects.get(pk=member.pk).district == district
    page = client.get("/agency/").content.decode()
    assert "015 Austin" in page and "Bob Burke" in page


def test_a_district_code_is_unique(cast, cora):
    with agency_scope(cast.agency_a), pytest.raises(ValidationError) as refused:
        district_save(actor=cora, code="011", name="Again")
    assert "already a district 011" in refused.value.message_dict["code"][0]


def test_a_member_cannot_be_given_another_agencys_district(cast, cora):
    foreign = District.objects.create(agency=cast.agency_b, code="1", name="B")
    with agency_scope(cast.agency_a), pytest.raises(ValidationError):
        membership_set_district(actor=cora, member=cast.advocate, district=foreign)
    assert Membership.objects.get(pk=cast.advocate.pk).district is None


def test_only_coordinators_configure(cast, alice):
    with agency_scope(cast.agency_a), pytest.raises(PermissionDenied):
        district_save(actor=alice, code="9", name="Nine")


@pytest.mark.parametrize("role", ["advocate", "supervisor", "officer", "analyst", "auditor"])
def test_the_agency_page_is_for_coordinators(client, cast, role):
    client.force_login(getattr(cast, role).user)

    assert client.get("/agency/").status_code == 403
    assert client.post("/agency/", SETTINGS).status_code == 403
    assert Agency.objects.get(pk=cast.agency_a.pk).first_contact_goal_hours == 24


def test_another_agencys_member_is_not_found(client, cast):
    client.force_login(cast.coordinator.user)

    response = client.post(f"/agency/team/{cast.other_advocate.pk}/district/", {})

    assert response.status_code == 404


def test_the_agency_page_links_every_setting_page_and_each_opens(client, cast):
    client.force_login(cast.coordinator.user)
    page = client.get("/agency/").content.decode()
    for path in (
        "/partners/import/",
        "/partners/mous/",
        "/consent/settings/",
        "/justice/settings/",
        "/justice/import/",
        "/notices/settings/",
        "/reports/goals/",
    ):
        assert f'href="{path}"' in page
        assert client.get(path).status_code == 200, path


def test_the_page_reads_the_districts_once_however_many_members(
    client, cast, django_assert_num_queries
):
    from haven.cases.testing import make_member

    north = District.objects.create(agency=cast.agency_a, code="901", name="North")
    District.objects.create(agency=cast.agency_a, code="902", name="South")
    client.force_login(cast.coordinator.user)
    client.get("/agency/")
    for n in range(6):
        make_member(cast.agency_a, f"extra{n}", "advocate", district=north)

    with django_assert_num_queries(7):
        page = client.get("/agency/").content.decode()

    # Each member's own district still chosen in their form.
    assert page.count(f'<option value="{north.pk}" selected>') == 6
