"""The officer's "whom to call now" page and the roster page, as each role uses them: what they
show, what they refuse, what they change."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.agencies.models import Agency
from haven.audit.models import AuditAction
from haven.oncall.models import Coverage, Holiday, OnCallPattern, OnCallSettings, OnCallShift
from haven.oncall.tests.conftest import ROLES
from haven.oncall.tests.helpers import other_agency_objects

pytestmark = pytest.mark.django_db

NOW = reverse("oncall:now")
ROSTER = reverse("oncall:roster")


@pytest.fixture
def alice_on_call(cast):
    """Alice is on call by a shift from an hour ago to eight hours from now; the unit has a
    phone."""
    Agency.objects.filter(pk=cast.agency_a.pk).update(phone="312-555-0100")
    return OnCallShift.objects.create(
        agency=cast.agency_a,
        member=cast.advocate,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=8),
    )


@pytest.mark.parametrize("role", ["officer", "advocate"])
def test_the_page_tells_an_officer_or_advocate_whom_to_call_now(
    client_as, cast, alice_on_call, new_audit_events, role
):
    response = client_as(role).get(NOW)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Call Alice Avery at (312) 555-0101" in page
    assert 'href="tel:+13125550101"' in page
    assert 'href="tel:+13125550100"' in page  # the unit, if nobody answers
    assert "On call until" in page and reverse("intake:scene_referral") in page
    [event] = new_audit_events(action=AuditAction.ONCALL_NOW_VIEW)
    assert event.role == role and event.details == {"source": "shift", "member": cast.advocate.pk}


def test_the_page_shows_nothing_about_cases_or_victims(client_as, cast, alice_on_call):
    page = client_as("officer").get(NOW).content.decode()
    victim = cast.case_a.primary_victim
    for secret in (cast.case_a.number, victim.first_name, victim.last_name, "JA100001"):
        assert secret not in page


@pytest.mark.parametrize("role", ["analyst", "auditor"])
def test_every_staff_role_may_look_but_only_referrers_get_the_referral_button(
    client_as, alice_on_call, new_audit_events, role
):
    response = client_as(role).get(NOW)
    assert response.status_code == 200
    assert "Call Alice Avery" in response.content.decode()
    assert reverse("intake:scene_referral") not in response.content.decode()
    assert len(new_audit_events(action=AuditAction.ONCALL_NOW_VIEW)) == 1


def test_with_nobody_on_call_the_page_gives_the_units_phone(client_as, cast, new_audit_events):
    Agency.objects.filter(pk=cast.agency_a.pk).update(phone="312-555-0100")
    page = client_as("officer").get(NOW).content.decode()
    assert "Call the unit at (312) 555-0100" in page and 'href="tel:+13125550100"' in page
    assert new_audit_events(action=AuditAction.ONCALL_NOW_VIEW)[0].details["member"] is None


def test_a_closed_unit_says_when_it_opens_and_gives_911_and_the_hotline(client_as, cast):
    OnCallSettings.objects.create(
        agency=cast.agency_a, coverage=Coverage.SERVICE_HOURS, hotline="+13125550199"
    )  # and no service hours at all: closed now and for the next two weeks
    page = client_as("officer").get(NOW).content.decode()
    assert "The unit is closed" in page and "No opening is scheduled" in page
    assert 'href="tel:911"' in page and 'href="tel:+13125550199"' in page


def test_the_now_page_takes_no_posts(client_as, new_audit_events):
    assert client_as("officer").post(NOW).status_code == 405
    assert new_audit_events(action=AuditAction.ONCALL_NOW_VIEW) == []


@pytest.mark.parametrize("role", ["analyst", "auditor", "officer", "advocate"])
def test_the_roster_is_refused_to_roles_that_do_not_assign(client_as, role, roster_rows):
    client = client_as(role)
    before = roster_rows()
    assert client.get(ROSTER).status_code == 403
    response = client.post(
        reverse("oncall:holiday_new"), {"holiday-date": "2099-01-01", "holiday-name": "X"}
    )
    assert response.status_code == 403
    assert roster_rows() == before


def test_the_roster_shows_two_weeks_with_gaps_highlighted(client_as, cast, alice_on_call):
    OnCallPattern.objects.create(
        agency=cast.agency_a, weekday=0, starts=time(8), ends=time(17), member=cast.advocate2
    )
    response = client_as("supervisor").get(ROSTER)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This week" in page and "Next week" in page
    assert page.count("Bob Burke") >= 4  # two Mondays, table and phone list
    assert "bg-error-lighter" in page and "gap" in page
    assert "Alice Avery" in page and "Roster shift" in page
    assert 'id="coverage-settings"' not in page  # the supervisor does not configure


def test_the_coordinator_also_sets_the_coverage(client_as):
    page = client_as("coordinator").get(ROSTER).content.decode()
    assert 'id="coverage-settings"' in page


def test_a_supervisor_adds_a_shift_entered_in_the_agencys_time(client_as, cast, new_audit_events):
    tz = cast.agency_a.tz
    day = timezone.localtime(timezone.now(), tz).date() + timedelta(days=2)
    response = client_as("supervisor").post(
        reverse("oncall:shift_new"),
        {
            "shift-member": cast.advocate2.pk,
            "shift-starts_at": f"{day}T22:00",
            "shift-ends_at": f"{day + timedelta(days=1)}T06:00",
            "shift-note": "Night cover",
        },
    )
    assert response.status_code == 302 and response.url == ROSTER
    shift = OnCallShift.objects.get(agency=cast.agency_a)
    assert shift.starts_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") == f"{day} 22:00"
    assert shift.ends_at.astimezone(tz).strftime("%H:%M") == "06:00"
    assert shift.member == cast.advocate2 and shift.note == "Night cover"
    assert new_audit_events(action=AuditAction.ONCALL_SHIFT_ADD)[0].object_id == str(shift.pk)


def test_a_refused_shift_shows_the_roster_again_with_the_error(
    client_as, cast, alice_on_call, roster_rows
):
    client = client_as("coordinator")
    before = roster_rows()
    tz = cast.agency_a.tz
    start = timezone.localtime(alice_on_call.starts_at, tz) + timedelta(hours=2)
    response = client.post(
        reverse("oncall:shift_new"),
        {
            "shift-member": cast.advocate2.pk,
            "shift-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "shift-ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400
    assert "overlaps Alice Avery&#x27;s shift" in response.content.decode()
    assert roster_rows() == before


def test_the_pattern_holiday_and_fallback_forms_save(client_as, cast):
    client = client_as("supervisor")
    day = timezone.localtime(timezone.now(), cast.agency_a.tz).date() + timedelta(days=9)
    posts = [
        (
            "oncall:pattern_new",
            {
                "slot-weekday": "4",
                "slot-starts": "17:00",
                "slot-ends": "08:00",
                "slot-member": cast.advocate.pk,
            },
        ),
        ("oncall:holiday_new", {"holiday-date": str(day), "holiday-name": "Founders' Day"}),
        ("oncall:override", {"override-member": cast.advocate2.pk, "override-until": ""}),
    ]
    for name, data in posts:
        response = client.post(reverse(name), data)
        assert response.status_code == 302, (name, response.content.decode()[:2000])
    slot = OnCallPattern.objects.get(agency=cast.agency_a)
    assert (slot.weekday, slot.starts, slot.ends) == (4, time(17), time(8))
    assert Holiday.objects.get(agency=cast.agency_a).name == "Founders' Day"
    assert Agency.objects.get(pk=cast.agency_a.pk).on_call == cast.advocate2


def test_the_settings_form_is_the_coordinators(client_as, cast):
    data = {"settings-coverage": "service_hours", "settings-hotline": "312 555 0199"}
    assert client_as("supervisor").post(reverse("oncall:settings"), data).status_code == 403
    assert not OnCallSettings.objects.filter(agency=cast.agency_a).exists()
    assert client_as("coordinator").post(reverse("oncall:settings"), data).status_code == 302
    settings = OnCallSettings.objects.get(agency=cast.agency_a)
    assert (settings.coverage, settings.hotline) == ("service_hours", "+13125550199")


def test_removing_this_agencys_rows_works(client_as, cast, alice_on_call):
    client = client_as("coordinator")
    slot = OnCallPattern.objects.create(
        agency=cast.agency_a, weekday=1, starts=time(8), ends=time(17), member=cast.advocate
    )
    holiday = Holiday.objects.create(
        agency=cast.agency_a, date=timezone.now().date() + timedelta(days=30), name="Day off"
    )
    for name, pk in (
        ("oncall:shift_remove", alice_on_call.pk),
        ("oncall:pattern_remove", slot.pk),
        ("oncall:holiday_remove", holiday.pk),
    ):
        response = client.post(reverse(name, args=[pk]))
        assert response.status_code == 302 and response.url == ROSTER
    assert not OnCallShift.objects.filter(agency=cast.agency_a).exists()
    assert not OnCallPattern.objects.filter(agency=cast.agency_a).exists()
    assert not Holiday.objects.filter(agency=cast.agency_a).exists()


@pytest.mark.parametrize("role", ROLES)
def test_another_agencys_roster_rows_answer_404_or_403(client_as, cast, role):
    ids = other_agency_objects(cast)
    client = client_as(role)
    expected = 404 if role in ("supervisor", "coordinator") else 403
    for name, key in (
        ("oncall:shift_remove", "shift_id"),
        ("oncall:pattern_remove", "slot_id"),
        ("oncall:holiday_remove", "holiday_id"),
    ):
        assert client.post(reverse(name, args=[ids[key]])).status_code == expected
    assert OnCallShift.objects.filter(pk=ids["shift_id"]).exists()
    assert OnCallPattern.objects.filter(pk=ids["slot_id"]).exists()
    assert Holiday.objects.filter(pk=ids["holiday_id"]).exists()
    if role == "supervisor":
        page = client.get(ROSTER).content.decode()
        assert "Charlie Chen" not in page and "Lakeside Day" not in page


def test_a_local_time_skipped_by_the_clock_change_is_refused_on_the_form(client_as, cast):
    client = client_as("supervisor")
    response = client.post(
        reverse("oncall:shift_new"),
        {
            "shift-member": cast.advocate2.pk,
            "shift-starts_at": "2030-03-10T02:30",  # clocks spring from 02:00 to 03:00
            "shift-ends_at": "2030-03-10T08:00",
        },
    )
    assert response.status_code == 400
    assert "America/Chicago" in response.content.decode()
    assert not OnCallShift.objects.filter(agency=cast.agency_a).exists()
