"""The hotline named (issue 17, item 6): the coordinator sets the agency's domestic-violence
hotline and the state's (number and hours) on the agency page; the officer's receipt after a
high-danger scene referral and the hotline task show them, tap-to-call."""

import pytest
from django.core.exceptions import ValidationError

from haven.agencies.models import Agency, tel_uri
from haven.agencies.services import AgencySettings, agency_settings_update
from haven.cases.models import Task
from haven.intake.tests.test_scene_referral import refer, screen_fields, the_referral
from haven.lethality.services import HOTLINE_TASK_TITLE

pytestmark = pytest.mark.django_db

HOTLINES = {
    "time_zone": "America/Chicago",
    "first_contact_goal_hours": "24",
    "dv_hotline_name": "City Domestic Violence Hotline",
    "dv_hotline_phone": "(877) 863-6338",
    "dv_hotline_hours": "24 hours",
    "state_hotline_name": "Illinois DV Hotline",
    "state_hotline_phone": "1-877-863-6338",
    "state_hotline_hours": "Every day, 24 hours",
}


@pytest.fixture
def on_call(cast):
    """Alice is on call (as in the scene-referral tests)."""
    Agency.objects.filter(pk=cast.agency_a.pk).update(on_call=cast.advocate)
    return cast.advocate


@pytest.fixture
def hotlines_set(client, cast):
    client.force_login(cast.coordinator.user)
    response = client.post("/agency/", HOTLINES)
    assert response.status_code == 302
    client.logout()
    return Agency.objects.get(pk=cast.agency_a.pk)


def test_the_coordinator_sets_both_hotlines_on_the_agency_page(client, cast, hotlines_set):
    agency = hotlines_set
    assert agency.dv_hotline_phone == "(877) 863-6338"
    assert agency.state_hotline_hours == "Every day, 24 hours"
    client.force_login(cast.coordinator.user)
    page = client.get("/agency/").content.decode()
    assert 'value="(877) 863-6338"' in page and "Illinois DV Hotline" in page


def test_a_hotline_number_that_is_not_a_number_is_refused(cast, cora):
    with pytest.raises(ValidationError) as caught:
        agency_settings_update(
            actor=cora,
            settings=AgencySettings(
                time_zone="America/Chicago",
                first_contact_goal_hours=24,
                advocates_see_own_caseload_only=False,
                closure_review_required=False,
                dv_hotline_phone="call the hotline",
            ),
        )
    assert "dv_hotline_phone" in caught.value.message_dict
    assert Agency.objects.get(pk=cast.agency_a.pk).dv_hotline_phone == ""


def test_the_receipt_after_a_high_danger_referral_shows_both_hotlines_tap_to_call(
    client_as, cast, on_call, hotlines_set
):
    client = client_as("officer")
    response = refer(client, **screen_fields(q2="yes"))
    page = client.get(response.url).content.decode()

    assert "High danger" in page
    assert 'href="tel:+18778636338">(877) 863-6338</a>' in page
    assert 'href="tel:+18778636338">1-877-863-6338</a>' in page
    assert "City Domestic Violence Hotline" in page and "Every day, 24 hours" in page


def test_the_hotline_task_names_the_hotlines_and_the_screen_page_links_them(
    client_as, cast, on_call, hotlines_set
):
    refer(client_as("officer"), **screen_fields(q2="yes"))
    case = the_referral()

    task = Task.objects.get(case=case, title__startswith=HOTLINE_TASK_TITLE)
    assert "City Domestic Violence Hotline (877) 863-6338 (24 hours)" in task.title
    assert task.assignee == on_call
    from haven.lethality.models import LethalityScreen

    screen = LethalityScreen.objects.get(case=case)
    page = client_as("advocate").get(f"/lethality/{screen.pk}/").content.decode()
    assert 'href="tel:+18778636338"' in page


def test_without_hotlines_the_receipt_says_none_is_set_and_the_task_keeps_its_title(
    client_as, cast, on_call
):
    client = client_as("officer")
    response = refer(client, **screen_fields(q2="yes"))
    page = client.get(response.url).content.decode()

    assert "No hotline number is set" in page
    assert Task.objects.filter(case=the_referral(), title=HOTLINE_TASK_TITLE).exists()


@pytest.mark.parametrize(
    ("written", "link"),
    [
        ("(800) 799-7233", "tel:+18007997233"),
        ("1-800-799-7233", "tel:+18007997233"),
        ("+1 800 799 7233", "tel:+18007997233"),
        ("988", "tel:988"),
    ],
)
def test_a_number_as_people_write_it_becomes_a_tel_link(written, link):
    assert tel_uri(written) == link
