"""The rules a release must follow to be recorded (docs/consent.md): informed, written,
time-limited, one recipient, the right signer for a minor, never the alleged offender."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.audit.models import AuditAction
from haven.consent.models import ConsentSettings, ReleaseOfInformation
from haven.consent.services import consent_settings_save, end_of_day, proposed_expiry
from haven.people.models import Person

from .conftest import today


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def _make_minor(cast, years: int):
    victim = cast.case_a.primary_victim
    born = today(cast.agency_a) - timedelta(days=365 * years + 30)
    Person.objects.filter(pk=victim.pk).update(date_of_birth=born)
    victim.refresh_from_db()
    cast.case_a.primary_victim = victim


def test_a_release_runs_until_the_end_of_its_expiry_day_where_the_agency_is(cast, record):
    release = record()
    expected = end_of_day(today(cast.agency_a) + timedelta(days=90), cast.agency_a)
    assert release.expires_at == expected
    assert release.informed_confirmed and release.recorded_by == cast.advocate


def test_every_release_needs_an_expiry_no_longer_than_the_agencys_maximum(cast, record):
    with pytest.raises(ValidationError) as refused:
        record(expires_on=today(cast.agency_a) + timedelta(days=366))
    assert "at most 365 days" in _errors(refused)["expires_on"][0]
    with pytest.raises(ValidationError) as refused:
        record(expires_on=None)
    assert "needs an expiry" in _errors(refused)["expires_on"][0]
    with pytest.raises(ValidationError):
        record(expires_on=today(cast.agency_a))
    assert not ReleaseOfInformation.objects.exists()


def test_the_form_proposes_the_agencys_default_term(cast, cora):
    assert proposed_expiry(cast.agency_a, signed=date(2026, 1, 1)) == date(2026, 4, 1)
    consent_settings_save(
        actor=cora, default_days=30, max_days=60, minor_assent_age=None, expiring_window_days=7
    )
    assert proposed_expiry(cast.agency_a, signed=date(2026, 1, 1)) == date(2026, 1, 31)


def test_settings_stay_within_sane_bounds(cast, cora, alice):
    with pytest.raises(ValidationError) as refused:
        consent_settings_save(
            actor=cora, default_days=10, max_days=1000, minor_assent_age=3, expiring_window_days=0
        )
    assert set(_errors(refused)) == {"max_days", "minor_assent_age", "expiring_window_days"}
    with pytest.raises(PermissionDenied):
        consent_settings_save(
            actor=alice, default_days=10, max_days=100, minor_assent_age=12, expiring_window_days=7
        )
    assert not ConsentSettings.objects.exists()


def test_the_specialist_must_confirm_the_person_was_informed(record):
    with pytest.raises(ValidationError) as refused:
        record(informed_confirmed=False)
    assert "services never depend on signing" in _errors(refused)["informed_confirmed"][0]


def test_a_release_names_exactly_one_recipient(cast, record, shelter):
    with pytest.raises(ValidationError) as refused:
        record(recipient_organization=shelter, recipient_name="Also someone")
    assert "not both" in _errors(refused)["recipient_name"][0]
    with pytest.raises(ValidationError) as refused:
        record(recipient_organization=None)
    assert "Name the recipient" in _errors(refused)["recipient_name"][0]


def test_a_release_names_its_purposes_and_categories(record):
    with pytest.raises(ValidationError) as refused:
        record(purposes=[], categories=[])
    assert set(_errors(refused)) >= {"purposes", "categories"}


def test_a_paper_release_cannot_be_signed_in_the_future(cast, record):
    with pytest.raises(ValidationError) as refused:
        record(signed_on=today(cast.agency_a) + timedelta(days=1))
    assert "future" in _errors(refused)["signed_on"][0]


def test_a_paper_release_needs_the_day_it_was_signed(record):
    with pytest.raises(ValidationError) as refused:
        record(signed_on=None)
    assert "Enter the day the release was signed" in _errors(refused)["signed_on"][0]


def test_a_minor_cannot_sign_alone(cast, record):
    _make_minor(cast, 15)
    with pytest.raises(ValidationError) as refused:
        record()
    assert (
        "a parent, guardian or legal representative must sign"
        in (_errors(refused)["signer_relation"][0])
    )


def test_a_parent_signs_for_a_minor_who_agrees_too_and_is_not_the_offender(cast, record):
    _make_minor(cast, 15)
    with pytest.raises(ValidationError) as refused:
        record(signer_relation="parent", signer_name="Maria Reyes")
    errors = _errors(refused)
    assert "not the alleged offender" in errors["signer_not_offender_confirmed"][0]
    assert "record that they agreed too" in errors["minor_assent"][0]
    release = record(
        signer_relation="parent",
        signer_name="Maria  Reyes",
        signer_not_offender_confirmed=True,
        minor_assent=True,
    )
    assert release.signer_name == "Maria Reyes" and release.minor_assent is True


def test_a_young_child_needs_no_assent_of_their_own(cast, record):
    _make_minor(cast, 8)
    release = record(
        signer_relation="guardian", signer_name="Gus Guard", signer_not_offender_confirmed=True
    )
    assert not release.minor_assent


def test_an_agency_may_turn_minor_assent_off(cast, record, cora):
    consent_settings_save(
        actor=cora, default_days=90, max_days=365, minor_assent_age=None, expiring_window_days=14
    )
    _make_minor(cast, 16)
    release = record(
        signer_relation="parent", signer_name="Maria Reyes", signer_not_offender_confirmed=True
    )
    assert release.pk


def test_an_emancipated_minor_signs_alone(cast, record):
    _make_minor(cast, 17)
    release = record(minor_emancipated=True)
    assert release.minor_emancipated and release.signer_relation == "self"


def test_a_reported_age_counts_when_the_birth_date_is_unknown(cast, record):
    Person.objects.filter(pk=cast.case_a.primary_victim_id).update(age_reported=16)
    cast.case_a.primary_victim.refresh_from_db()
    with pytest.raises(ValidationError):
        record()


def test_an_adults_parent_cannot_sign_for_them(record):
    with pytest.raises(ValidationError) as refused:
        record(
            signer_relation="parent", signer_name="Maria Reyes", signer_not_offender_confirmed=True
        )
    assert "is an adult" in _errors(refused)["signer_relation"][0]


def test_an_electronic_signature_must_be_the_signers_full_name(record):
    with pytest.raises(ValidationError) as refused:
        record(method="esignature", esign_typed_name="DR")
    assert "Dana Reyes" in _errors(refused)["esign_typed_name"][0]
    with pytest.raises(ValidationError):
        record(method="esignature")


def test_nobody_outside_the_case_records_a_release(cast, record, charlie, bob, sam):
    with pytest.raises(PermissionDenied):
        record(actor=charlie)
    with pytest.raises(PermissionDenied):
        record(actor=cast.actor("officer"))
    assert record(actor=sam).pk  # a supervisor sees every case


def test_an_ended_case_takes_no_new_release(cast, record):
    type(cast.case_a).objects.filter(pk=cast.case_a.pk).update(status="closed")
    cast.case_a.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        record()
    assert "Reopen it" in refused.value.messages[0]


def test_recording_is_audited_without_the_notes(record, new_audit_events):
    release = record(notes="Signed at the hospital")
    [event] = new_audit_events(action=AuditAction.CONSENT_RECORD)
    assert event.object_id == str(release.pk)
    assert "hospital" not in str(event.details)
    assert ReleaseOfInformation.objects.get().notes == "Signed at the hospital"
