"""Changing the roster: who may, what is refused and why, and what each change writes (its
rows and its audit event, or nothing at all)."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haven.agencies.models import Agency
from haven.audit.models import AuditAction
from haven.cases.testing import make_member
from haven.oncall import services
from haven.oncall.models import Coverage, Holiday, OnCallPattern, OnCallSettings, OnCallShift
from haven.oncall.tests.conftest import ROSTER_ROLES
from haven.oncall.tests.helpers import other_agency_objects

pytestmark = pytest.mark.django_db

NOT_ROSTER_ROLES = ["advocate", "officer", "analyst", "auditor"]


def add_shift(cast, soon, role="supervisor", member=None, start=(1, 8), end=(1, 17), **extra):
    return services.shift_add(
        actor=cast.actor(role),
        member=member or cast.advocate,
        starts_at=soon(*start),
        ends_at=soon(*end),
        **extra,
    )


@pytest.mark.parametrize("role", ROSTER_ROLES)
def test_a_supervisor_or_coordinator_adds_a_shift_and_it_is_audited(
    cast, soon, new_audit_events, role
):
    shift = add_shift(cast, soon, role=role, note="Covering for Bob")
    stored = OnCallShift.objects.get(pk=shift.pk)
    assert (stored.member, stored.starts_at, stored.ends_at) == (
        cast.advocate,
        soon(1, 8),
        soon(1, 17),
    )
    assert stored.agency == cast.agency_a and stored.note == "Covering for Bob"
    assert stored.created_by == getattr(cast, role)
    [event] = new_audit_events(action=AuditAction.ONCALL_SHIFT_ADD)
    assert event.object_id == str(shift.pk) and event.role == role
    assert event.details["member"] == cast.advocate.pk


@pytest.mark.parametrize("role", NOT_ROSTER_ROLES)
def test_other_roles_may_not_change_the_roster(cast, soon, roster_rows, role):
    before = roster_rows()
    actor = cast.actor(role)
    with pytest.raises(PermissionDenied):
        add_shift(cast, soon, role=role)
    with pytest.raises(PermissionDenied):
        services.pattern_slot_add(
            actor=actor, weekday=0, starts=time(8), ends=time(17), member=cast.advocate
        )
    with pytest.raises(PermissionDenied):
        services.holiday_add(actor=actor, day=soon(5, 0).date(), name="Founders' Day")
    with pytest.raises(PermissionDenied):
        services.on_call_override_set(actor=actor, member=cast.advocate)
    assert roster_rows() == before
    assert Agency.objects.get(pk=cast.agency_a.pk).on_call is None


def test_only_a_coordinator_sets_the_coverage_mode_and_hotline(cast, roster_rows, new_audit_events):
    before = roster_rows()
    with pytest.raises(PermissionDenied):
        services.oncall_settings_set(
            actor=cast.actor("supervisor"), coverage=Coverage.SERVICE_HOURS, hotline=""
        )
    assert roster_rows() == before
    settings = services.oncall_settings_set(
        actor=cast.actor("coordinator"), coverage=Coverage.SERVICE_HOURS, hotline="312 555 0199"
    )
    stored = OnCallSettings.objects.get(agency=cast.agency_a)
    assert stored.pk == settings.pk
    assert (stored.coverage, stored.hotline) == (Coverage.SERVICE_HOURS, "+13125550199")
    [event] = new_audit_events(action=AuditAction.ONCALL_SETTINGS)
    assert event.details["fields"] == ["coverage", "hotline"]


def test_a_hotline_that_is_not_a_phone_number_is_refused(cast, roster_rows):
    before = roster_rows()
    with pytest.raises(ValidationError) as refused:
        services.oncall_settings_set(
            actor=cast.actor("coordinator"), coverage=Coverage.ALWAYS, hotline="call us"
        )
    assert "hotline" in refused.value.message_dict
    assert roster_rows() == before


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ((1, 17), (1, 8), "ends_at", "must end after it starts"),
        ((1, 8), (1, 8), "ends_at", "must end after it starts"),
        ((-2, 8), (-1, 8), "ends_at", "already ended"),
        ((1, 8), (16, 8), "ends_at", "Keep a shift to 14 days"),
    ],
)
def test_a_shift_with_impossible_times_is_refused(
    cast, soon, roster_rows, start, end, field, message
):
    before = roster_rows()
    with pytest.raises(ValidationError) as refused:
        add_shift(cast, soon, start=start, end=end)
    assert message in " ".join(refused.value.message_dict[field])
    assert roster_rows() == before


def test_a_shift_overlapping_another_is_refused_and_names_it(cast, soon, roster_rows):
    add_shift(cast, soon, start=(1, 8), end=(1, 17))
    before = roster_rows()
    with pytest.raises(ValidationError) as refused:
        add_shift(cast, soon, member=cast.advocate2, start=(1, 16), end=(1, 22))
    assert "overlaps Alice Avery's shift" in refused.value.message_dict["starts_at"][0]
    assert roster_rows() == before
    # Back to back is not an overlap.
    add_shift(cast, soon, member=cast.advocate2, start=(1, 17), end=(1, 22))
    assert OnCallShift.objects.filter(agency=cast.agency_a).count() == 2


def test_an_overlap_is_only_with_the_same_agencys_shifts(cast, soon):
    other_agency_objects(cast)  # Charlie is on call for B from tomorrow, now's time
    start = timezone.now() + timedelta(days=1)
    services.shift_add(
        actor=cast.actor("supervisor"),
        member=cast.advocate,
        starts_at=start,
        ends_at=start + timedelta(hours=8),
    )
    assert OnCallShift.objects.filter(agency=cast.agency_a).count() == 1


def test_only_an_active_specialist_of_the_agency_can_be_on_call(cast, soon, roster_rows):
    retired = make_member(cast.agency_a, "rita", "advocate", is_active=False)
    before = roster_rows()
    for member in (cast.officer, cast.analyst, retired, cast.other_advocate):
        with pytest.raises(ValidationError) as refused:
            add_shift(cast, soon, member=member)
        assert refused.value.message_dict["member"] == [
            "Choose an active specialist of this agency."
        ]
        with pytest.raises(ValidationError):
            services.pattern_slot_add(
                actor=cast.actor("supervisor"),
                weekday=2,
                starts=time(8),
                ends=time(17),
                member=member,
            )
        with pytest.raises(ValidationError):
            services.on_call_override_set(actor=cast.actor("supervisor"), member=member)
    assert roster_rows() == before


def test_removing_a_shift_deletes_it_and_is_audited(cast, soon, new_audit_events):
    shift = add_shift(cast, soon)
    shift_id = shift.pk
    services.shift_remove(actor=cast.actor("coordinator"), shift=shift)
    assert not OnCallShift.objects.filter(pk=shift_id).exists()
    [event] = new_audit_events(action=AuditAction.ONCALL_SHIFT_REMOVE)
    assert event.object_id == str(shift_id) and event.details["member"] == cast.advocate.pk


def test_a_shift_that_has_ended_stays_on_the_record(cast, roster_rows):
    ended = OnCallShift.objects.create(
        agency=cast.agency_a,
        member=cast.advocate,
        starts_at=timezone.now() - timedelta(hours=9),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    before = roster_rows()
    with pytest.raises(ValidationError, match="has ended"):
        services.shift_remove(actor=cast.actor("supervisor"), shift=ended)
    assert roster_rows() == before


def test_another_agencys_rows_are_refused_even_without_the_access_helper(cast, roster_rows):
    ids = other_agency_objects(cast)
    before = roster_rows()
    sam = cast.actor("supervisor")
    with pytest.raises(PermissionDenied):
        services.shift_remove(actor=sam, shift=OnCallShift.objects.get(pk=ids["shift_id"]))
    with pytest.raises(PermissionDenied):
        services.pattern_slot_remove(actor=sam, slot=OnCallPattern.objects.get(pk=ids["slot_id"]))
    with pytest.raises(PermissionDenied):
        services.holiday_remove(actor=sam, holiday=Holiday.objects.get(pk=ids["holiday_id"]))
    assert roster_rows() == before


@pytest.mark.parametrize(
    ("existing", "new", "refused"),
    [
        ((0, time(22), time(6)), (1, time(5), time(7)), True),  # across midnight
        ((6, time(22), time(6)), (0, time(0), time(8)), True),  # Sunday night into Monday
        ((0, time(8), time(17)), (0, time(17), time(8)), False),  # back to back
        ((0, time(8), time(17)), (1, time(8), time(17)), False),
    ],
)
def test_a_pattern_slot_overlapping_another_is_refused(
    cast, roster_rows, new_audit_events, existing, new, refused
):
    sam = cast.actor("supervisor")
    services.pattern_slot_add(
        actor=sam,
        weekday=existing[0],
        starts=existing[1],
        ends=existing[2],
        member=cast.advocate,
    )
    before = roster_rows()
    add = {"actor": sam, "weekday": new[0], "starts": new[1], "ends": new[2]}
    if refused:
        with pytest.raises(ValidationError) as error:
            services.pattern_slot_add(**add, member=cast.advocate2)
        assert "overlaps Alice Avery's slot" in error.value.message_dict["starts"][0]
        assert roster_rows() == before
    else:
        slot = services.pattern_slot_add(**add, member=cast.advocate2)
        assert OnCallPattern.objects.get(pk=slot.pk).member == cast.advocate2
        assert new_audit_events(action=AuditAction.ONCALL_PATTERN_CHANGE)[-1].object_id == str(
            slot.pk
        )


def test_removing_a_pattern_slot_is_audited(cast, new_audit_events):
    sam = cast.actor("supervisor")
    slot = services.pattern_slot_add(
        actor=sam, weekday=3, starts=time(17), ends=time(8), member=cast.advocate
    )
    slot_id = slot.pk
    services.pattern_slot_remove(actor=sam, slot=slot)
    assert not OnCallPattern.objects.filter(pk=slot_id).exists()
    added, removed = new_audit_events(action=AuditAction.ONCALL_PATTERN_CHANGE)
    assert added.details["added"] and removed.details["removed"]
    assert removed.details["starts"] == "17:00" and removed.details["ends"] == "08:00"


def test_a_holiday_is_added_once_per_day_with_or_without_cover(
    cast, soon, roster_rows, new_audit_events
):
    sam = cast.actor("supervisor")
    day = soon(10, 0).date()
    holiday = services.holiday_add(
        actor=sam, day=day, name="  Founders'   Day ", member=cast.advocate
    )
    stored = Holiday.objects.get(pk=holiday.pk)
    assert (stored.date, stored.name, stored.member) == (day, "Founders' Day", cast.advocate)
    before = roster_rows()
    with pytest.raises(ValidationError) as refused:
        services.holiday_add(actor=sam, day=day, name="Again")
    assert refused.value.message_dict == {"date": ["This day is already a holiday."]}
    with pytest.raises(ValidationError) as refused:
        services.holiday_add(actor=sam, day=soon(-1, 0).date(), name="")
    assert set(refused.value.message_dict) == {"date", "name"}
    assert roster_rows() == before
    bare = services.holiday_add(actor=sam, day=day + timedelta(days=1), name="Day after")
    assert Holiday.objects.get(pk=bare.pk).member is None
    added = new_audit_events(action=AuditAction.ONCALL_HOLIDAY_ADD)
    assert [e.details["member"] for e in added] == [cast.advocate.pk, None]
    bare_id = bare.pk
    services.holiday_remove(actor=sam, holiday=bare)
    assert not Holiday.objects.filter(pk=bare_id).exists()
    assert new_audit_events(action=AuditAction.ONCALL_HOLIDAY_REMOVE)[0].object_id == str(bare_id)


def test_the_fallback_is_set_with_an_end_and_audited_like_the_older_page(
    cast, soon, new_audit_events
):
    until = soon(1, 8)
    services.on_call_override_set(actor=cast.actor("supervisor"), member=cast.advocate, until=until)
    assert Agency.objects.get(pk=cast.agency_a.pk).on_call == cast.advocate
    settings = OnCallSettings.objects.get(agency=cast.agency_a)
    assert (settings.override_for, settings.override_until) == (cast.advocate, until)
    [event] = new_audit_events(action=AuditAction.ON_CALL_SET)
    assert event.details["on_call"] == cast.advocate.pk and event.details["until"]
    services.on_call_override_set(actor=cast.actor("coordinator"), member=None)
    assert Agency.objects.get(pk=cast.agency_a.pk).on_call is None
    assert OnCallSettings.objects.get(agency=cast.agency_a).override_until is None


def test_a_fallback_end_in_the_past_or_without_a_member_is_refused(cast, soon, roster_rows):
    before = roster_rows()
    sam = cast.actor("supervisor")
    with pytest.raises(ValidationError) as refused:
        services.on_call_override_set(actor=sam, member=cast.advocate, until=soon(-1, 8))
    assert refused.value.message_dict == {"until": ["The end must be in the future."]}
    with pytest.raises(ValidationError) as refused:
        services.on_call_override_set(actor=sam, member=None, until=soon(1, 8))
    assert "until" in refused.value.message_dict
    assert roster_rows() == before
    assert Agency.objects.get(pk=cast.agency_a.pk).on_call is None
