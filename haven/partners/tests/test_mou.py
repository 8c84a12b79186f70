"""MOUs: in force or not on a day, the lapsing list, and the reminders at their boundary days,
each sent once."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.audit.models import AuditAction
from haven.core.actor import Actor
from haven.notices.models import AlertStatus, StaffAlert
from haven.notices.staff_alerts import alerts_send_due
from haven.partners import services
from haven.partners.models import MouReminder, RenewalStatus
from haven.partners.reminders import send_mou_reminders
from haven.partners.selectors import local_today, mou_in_force, mou_rows, reminder_threshold
from haven.partners.tasks import run_day
from haven.partners.tests.helpers import build_directory


@pytest.fixture
def directory(cast):
    return build_directory(cast.agency_a)


@pytest.fixture
def today(cast):
    return local_today(cast.agency_a)


@pytest.fixture
def coordinator_email(cast):
    user = cast.coordinator.user
    user.email = "cora@riverside.example.gov"
    user.save(update_fields=["email"])
    return user.email


def test_an_mou_is_in_force_from_its_first_to_its_last_day_included(directory, today):
    mou, legal = directory["mou"], directory["legal"]

    assert mou_in_force(legal, on=mou.starts_on) == mou
    assert mou_in_force(legal, on=mou.ends_on) == mou
    assert mou_in_force(legal, on=mou.starts_on - timedelta(days=1)) is None
    assert mou_in_force(legal, on=mou.ends_on + timedelta(days=1)) is None
    assert mou_in_force(legal) == mou
    assert mou_in_force(directory["shelter"]) is None


def test_recording_an_mou_is_audited_and_validated(cora, directory, today, new_audit_events):
    mou = services.mou_save(
        actor=cora,
        organization=directory["shelter"],
        title="Shelter referrals",
        starts_on=today,
        ends_on=today + timedelta(days=365),
        signed_by_partner="Dana Director",
        document_reference="MOU-2026-07",
        services=[directory["beds"]],
    )

    assert mou_in_force(directory["shelter"]) == mou
    assert list(mou.services.all()) == [directory["beds"]]
    [event] = new_audit_events(action=AuditAction.MOU_SAVE)
    assert event.object_id == str(mou.pk) and event.details["created"] is True
    with pytest.raises(ValidationError) as error:
        services.mou_save(
            actor=cora,
            organization=directory["shelter"],
            title="Backwards",
            starts_on=today,
            ends_on=today - timedelta(days=1),
        )
    assert "ends_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.mou_save(
            actor=cora,
            organization=directory["shelter"],
            title="Wrong service",
            starts_on=today,
            ends_on=today,
            services=[directory["orders"]],
        )


@pytest.mark.parametrize("role", ["advocate", "supervisor", "officer", "analyst", "auditor"])
def test_only_coordinators_record_mous(cast, directory, today, role):
    with pytest.raises(PermissionDenied):
        services.mou_save(
            actor=cast.actor(role),
            organization=directory["shelter"],
            title="Nope",
            starts_on=today,
            ends_on=today,
        )


def test_the_lapsing_list_follows_the_agency_setting(cora, alice, directory, today):
    assert [r.mou for r in mou_rows(alice, lapsing_only=True)] == []  # 65 days left

    services.partner_settings_save(actor=cora, lapsing_days=65)

    [row] = mou_rows(alice, lapsing_only=True)
    assert row.mou == directory["mou"] and row.days_left == 65 and row.state == "lapsing"


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(61, None), (60, 60), (15, 60), (14, 14), (1, 14), (0, 14), (-1, -1), (-30, -1)],
)
def test_the_reminder_thresholds_at_their_boundary_days(days_left, expected):
    assert reminder_threshold(days_left, 60) == expected


def set_end(cora, mou, ends_on):
    return services.mou_save(actor=cora, organization=mou.organization, mou=mou, ends_on=ends_on)


def test_coordinators_are_emailed_once_per_threshold(
    cast, cora, directory, today, coordinator_email, smtp_inbox, new_audit_events
):
    mou = directory["mou"]  # ends in 65 days
    agency = cast.agency_a

    assert send_mou_reminders(agency=agency, on=mou.ends_on - timedelta(days=61)) == []
    assert send_mou_reminders(agency=agency, on=mou.ends_on - timedelta(days=60)) == [(mou.pk, 60)]
    assert send_mou_reminders(agency=agency, on=mou.ends_on - timedelta(days=60)) == []
    assert send_mou_reminders(agency=agency, on=mou.ends_on - timedelta(days=15)) == []
    assert send_mou_reminders(agency=agency, on=mou.ends_on - timedelta(days=14)) == [(mou.pk, 14)]
    assert send_mou_reminders(agency=agency, on=mou.ends_on) == []
    assert send_mou_reminders(agency=agency, on=mou.ends_on + timedelta(days=1)) == [(mou.pk, -1)]
    assert send_mou_reminders(agency=agency, on=mou.ends_on + timedelta(days=2)) == []
    alerts_send_due()  # the staff-alert outbox's worker

    assert [rcpt for rcpt, _ in smtp_inbox.messages] == [[coordinator_email]] * 3
    subjects = [msg["Subject"] for _, msg in smtp_inbox.messages]
    assert subjects == [
        "Haven: the MOU with Prairie Legal Aid ends in 60 days",
        "Haven: the MOU with Prairie Legal Aid ends in 14 days",
        "Haven: the MOU with Prairie Legal Aid has lapsed",
    ]
    assert sorted(MouReminder.objects.filter(mou=mou).values_list("threshold", flat=True)) == [
        -1,
        14,
        60,
    ]
    assert len(new_audit_events(action=AuditAction.MOU_REMINDER)) == 3


def test_a_late_run_sends_only_the_reminder_the_day_calls_for(
    cast, cora, directory, coordinator_email, smtp_inbox
):
    mou = directory["mou"]

    sent = send_mou_reminders(agency=cast.agency_a, on=mou.ends_on - timedelta(days=10))

    assert sent == [(mou.pk, 14)]
    alerts_send_due()
    assert len(smtp_inbox.messages) == 1


def test_renewed_mous_get_no_reminder_and_a_new_end_date_starts_them_over(
    cast, cora, directory, today, coordinator_email, smtp_inbox
):
    mou = directory["mou"]
    day = mou.ends_on - timedelta(days=14)
    send_mou_reminders(agency=cast.agency_a, on=day)
    mou = set_end(cora, mou, mou.ends_on + timedelta(days=30))
    assert not mou.reminders.exists()

    services.mou_save(
        actor=cora,
        organization=mou.organization,
        mou=mou,
        renewal_status=RenewalStatus.RENEWED,
    )

    assert send_mou_reminders(agency=cast.agency_a, on=mou.ends_on - timedelta(days=1)) == []
    alerts_send_due()
    assert len(smtp_inbox.messages) == 1


def test_the_daily_task_reminds_every_agency_in_its_own_scope(
    cast, cora, directory, today, coordinator_email, smtp_inbox
):
    set_end(cora, directory["mou"], today + timedelta(days=14))
    build_directory(cast.agency_b, prefix="Lakeside ")  # B has no coordinator: no mail

    assert run_day() == {cast.agency_a.pk: [(directory["mou"].pk, 14)], cast.agency_b.pk: []}
    assert run_day() == {cast.agency_a.pk: [], cast.agency_b.pk: []}
    alerts_send_due()
    assert len(smtp_inbox.messages) == 1


def test_a_mail_server_that_is_down_leaves_the_reminder_queued_for_the_outboxs_retries(
    cast, cora, directory, today, coordinator_email, smtp_down
):
    set_end(cora, directory["mou"], today + timedelta(days=14))

    assert send_mou_reminders(agency=cast.agency_a) == [(directory["mou"].pk, 14)]
    assert alerts_send_due() == 0

    alert = StaffAlert.objects.get(kind="mou_reminder")
    assert (alert.status, alert.attempts) == (AlertStatus.QUEUED, 1)  # retried in a minute
    assert MouReminder.objects.count() == 1  # and never queued twice


def test_the_system_actor_label_names_the_reminder(
    cast, directory, today, coordinator_email, smtp_inbox, new_audit_events
):
    set_end(Actor.system(cast.agency_a, "t"), directory["mou"], today + timedelta(days=3))

    send_mou_reminders(agency=cast.agency_a)
    alerts_send_due()

    [event] = new_audit_events(action=AuditAction.MOU_REMINDER)
    assert event.actor_label == "MOU reminder" and event.details["threshold"] == 14
    body = smtp_inbox.messages[0][1].get_payload()
    assert f"/partners/mous/{directory['mou'].pk}/edit/" in body


def test_an_mou_taken_over_by_a_newer_one_gets_no_reminder(
    cast, cora, directory, coordinator_email, smtp_inbox
):
    old = directory["mou"]
    services.mou_save(
        actor=cora,
        organization=old.organization,
        title="Legal advocacy referrals, 2027-2030",
        starts_on=old.ends_on + timedelta(days=1),
        ends_on=old.ends_on + timedelta(days=3 * 365),
    )

    assert send_mou_reminders(agency=cast.agency_a, on=old.ends_on - timedelta(days=14)) == []
    assert send_mou_reminders(agency=cast.agency_a, on=old.ends_on + timedelta(days=1)) == []
    assert smtp_inbox.messages == []
