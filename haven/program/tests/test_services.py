from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.audit.models import AuditAction
from haven.cases.models import CaseEventKind
from haven.cases.testing import make_case, make_member
from haven.core.roles import Role
from haven.program import services
from haven.program.models import Activity, ActivityKind, Audience, VolunteerHours
from haven.program.services import ActivityInput


def training(cast, **extra) -> ActivityInput:
    fields = {
        "kind": ActivityKind.TRAINING,
        "topic": "Trauma-informed response for patrol",
        "held_on": date(2026, 11, 12),
        "hours": Decimal("1.5"),
        "time_spent": Decimal("4"),
        "led_by": cast.advocate,
        "audience": Audience.OFFICERS,
        "attendees": 32,
        "materials": "Slides: https://example.org/tir.pdf",
    }
    return ActivityInput(**(fields | extra))


def test_a_training_is_recorded_and_audited(cast, alice, new_audit_events):
    activity = services.activity_record(actor=alice, data=training(cast))
    assert Activity.objects.get().topic == "Trauma-informed response for patrol"
    assert activity.attendees == 32 and activity.time_spent == Decimal("4")
    assert activity.recorded_by == cast.advocate
    [event] = new_audit_events(action=AuditAction.PROGRAM_ACTIVITY)
    assert event.object_id == str(activity.pk)


def test_time_spent_defaults_to_the_hours(cast, alice):
    activity = services.activity_record(actor=alice, data=training(cast, time_spent=None))
    assert activity.time_spent == Decimal("1.5")


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"held_on": date(2026, 12, 9)}, "held_on", "ahead"),
        ({"hours": Decimal(0)}, "hours", "more than 0"),
        ({"hours": Decimal(25)}, "hours", "at most 24"),
        ({"time_spent": Decimal(1)}, "time_spent", "at least its hours"),
        ({"audience": ""}, "audience", "who the training was for"),
        ({"topic": "  "}, "topic", "what the activity was about"),
    ],
)
def test_bad_input_is_refused_with_what_to_fix(cast, alice, extra, field, words):
    with pytest.raises(ValidationError) as refused:
        services.activity_record(actor=alice, data=training(cast, **extra))
    assert words in " ".join(refused.value.message_dict[field])
    assert not Activity.objects.exists()


def test_cases_only_on_a_case_review(cast, alice):
    with pytest.raises(ValidationError) as refused:
        services.activity_record(actor=alice, data=training(cast, cases=(cast.case_a,)))
    assert "case review" in refused.value.message_dict["cases"][0]


def test_a_leader_of_another_agency_is_refused(cast, alice):
    with pytest.raises(ValidationError) as refused:
        services.activity_record(actor=alice, data=training(cast, led_by=cast.other_advocate))
    assert "led_by" in refused.value.message_dict


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_roles_that_do_not_record_are_refused(cast, role):
    with pytest.raises(PermissionDenied):
        services.activity_record(actor=cast.actor(role), data=training(cast))


def review(cast, shelter, *cases) -> ActivityInput:
    return ActivityInput(
        kind=ActivityKind.CASE_REVIEW,
        topic="Monthly high-risk review",
        held_on=date(2026, 12, 1),
        hours=Decimal(2),
        led_by=cast.supervisor,
        partners=(shelter,),
        cases=cases,
    )


def test_a_case_no_release_covers_is_refused_and_the_refusal_audited(
    cast, sam, shelter, new_audit_events
):
    with pytest.raises(ValidationError) as refused:
        services.activity_record(actor=sam, data=review(cast, shelter, cast.case_a))
    words = " ".join(refused.value.message_dict["cases"])
    assert f"Case {cast.case_a.number}" in words and "Safe Harbor Shelter" in words
    assert not Activity.objects.exists()
    assert new_audit_events(action=AuditAction.CONSENT_REFUSED)


def test_a_case_review_under_a_release_goes_on_the_case_timeline(
    cast, sam, shelter, coordination_release
):
    activity = services.activity_record(actor=sam, data=review(cast, shelter, cast.case_a))
    assert list(activity.cases.all()) == [cast.case_a]
    line = cast.case_a.events.get(kind=CaseEventKind.CASE_REVIEW)
    assert "Dec 1, 2026" in line.data["summary"] and "Safe Harbor Shelter" in line.data["summary"]
    assert line.data["activity"] == activity.pk


def test_one_uncovered_case_stops_the_whole_review(cast, sam, shelter, coordination_release):
    other = make_case(sam, first_name="Uma", last_name="Uncovered", report_number="JA100002")
    with pytest.raises(ValidationError) as refused:
        services.activity_record(actor=sam, data=review(cast, shelter, cast.case_a, other))
    assert f"Case {other.number}" in " ".join(refused.value.message_dict["cases"])
    assert not cast.case_a.events.filter(kind=CaseEventKind.CASE_REVIEW).exists()


def test_a_review_with_cases_names_its_partners(cast, sam):
    data = review(cast, None, cast.case_a)
    data = ActivityInput(**{**data.__dict__, "partners": ()})
    with pytest.raises(ValidationError) as refused:
        services.activity_record(actor=sam, data=data)
    assert "partners present" in refused.value.message_dict["partners"][0]


def test_a_volunteer_logs_own_hours_on_and_off_cases(cast, val, volunteer, new_audit_events):
    services.volunteer_hours_record(
        actor=val, member=volunteer, worked_on=date(2026, 12, 1), hours=Decimal(3)
    )
    services.volunteer_hours_record(
        actor=val,
        member=volunteer,
        worked_on=date(2026, 12, 2),
        hours=Decimal("1.25"),
        case=cast.case_a,
    )
    assert [h.on_case for h in VolunteerHours.objects.order_by("worked_on")] == [False, True]
    assert len(new_audit_events(action=AuditAction.VOLUNTEER_HOURS)) == 2


def test_a_volunteer_may_not_log_someone_elses_hours(cast, val, volunteer):
    other = make_member(cast.agency_a, "vic", Role.VOLUNTEER)
    with pytest.raises(PermissionDenied):
        services.volunteer_hours_record(
            actor=val, member=other, worked_on=date(2026, 12, 1), hours=Decimal(1)
        )


def test_hours_are_only_for_volunteers_and_within_a_day(cast, sam, volunteer):
    with pytest.raises(ValidationError) as refused:
        services.volunteer_hours_record(
            actor=sam, member=cast.advocate, worked_on=date(2026, 12, 1), hours=Decimal(1)
        )
    assert "not a volunteer" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        services.volunteer_hours_record(
            actor=sam, member=volunteer, worked_on=date(2026, 12, 3), hours=Decimal(30)
        )
    assert set(refused.value.message_dict) == {"worked_on", "hours"}


def test_a_volunteers_file_keeps_training_and_background_check(cast, sam, volunteer):
    profile = services.volunteer_profile_save(
        actor=sam,
        member=volunteer,
        kind="intern",
        trained_on=date(2026, 9, 15),
        background_checked_on=date(2026, 9, 1),
    )
    assert profile.get_kind_display() == "Intern"
    assert volunteer.volunteer_profile.background_checked_on == date(2026, 9, 1)
    with pytest.raises(ValidationError) as refused:
        services.volunteer_profile_save(
            actor=sam, member=volunteer, trained_on=date(2026, 12, 2) + timedelta(days=1)
        )
    assert "ahead" in refused.value.message_dict["trained_on"][0]


def test_only_managers_keep_volunteer_files(cast, alice, volunteer):
    with pytest.raises(PermissionDenied):
        services.volunteer_profile_save(actor=alice, member=volunteer)
