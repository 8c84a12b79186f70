from datetime import date, time, timedelta

import pytest
from django.core.exceptions import FieldError, PermissionDenied, ValidationError
from django.db import connection

from haven.audit.models import AuditAction
from haven.lib.crypto import TOKEN_PREFIX, blind_index
from haven.people import services
from haven.people.indexes import name_dob_index
from haven.people.models import ContactKind, ContactPoint, Person
from haven.people.services import (
    contact_point_add,
    person_create,
    person_update,
)
from haven.people.tests.conftest import NON_CASEWORKER_ROLES

DOB = date(1990, 4, 12)


@pytest.fixture
def gale(alice):
    return person_create(actor=alice, first_name="Gale", last_name="Moss", date_of_birth=DOB)


# person_create


def test_it_creates_a_person_in_the_actors_agency(cast, alice, new_audit_events):
    person = person_create(
        actor=alice,
        first_name="  José ",
        last_name=" O'Neil ",
        date_of_birth=DOB,
        preferred_language="es",
        interpreter_needed=True,
        pronouns="she/her",
    )

    person = Person.objects.get(pk=person.pk)
    assert person.agency == cast.agency_a
    assert (person.first_name, person.last_name) == ("José", "O'Neil")
    assert person.preferred_language == "es" and person.interpreter_needed
    assert person.name_dob_index == name_dob_index("José", "O'Neil", DOB) != ""
    [audit] = new_audit_events(action=AuditAction.PERSON_CREATE)
    assert audit.object_type == "people.person"
    assert audit.object_id == str(person.pk)
    assert audit.role == "advocate"
    assert "Neil" not in str(audit.details)


def test_its_name_and_birth_date_index_ignores_case_accents_and_punctuation(alice):
    person = person_create(actor=alice, first_name="José", last_name="O'Neil", date_of_birth=DOB)

    assert person.name_dob_index == name_dob_index("jose", "o neil", DOB)
    assert person.name_dob_index != name_dob_index("jose", "o neil", DOB + timedelta(days=1))


def test_a_person_without_a_birth_date_has_no_name_index(alice):
    person = person_create(actor=alice, first_name="Gale", last_name="Moss")

    assert Person.objects.get(pk=person.pk).name_dob_index == ""


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"first_name": "  "}, "first_name", "Enter a first name (or 'Unknown')."),
        ({"last_name": ""}, "last_name", "Enter a last name (or 'Unknown')."),
        (
            {"date_of_birth": date.today() + timedelta(days=1)},
            "date_of_birth",
            "The date of birth is in the future.",
        ),
    ],
)
def test_it_says_what_to_fix(alice, fields, field, message, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        person_create(actor=alice, **({"first_name": "Gale", "last_name": "Moss"} | fields))

    assert refused.value.message_dict[field] == [message]
    assert row_counts() == before


@pytest.mark.parametrize(
    "fields",
    [
        {"preferred_language": "klingon"},
        {"gender_identity": "unknown_code"},
        {"first_name": "G" * 101},
    ],
)
def test_it_refuses_values_the_model_does_not_allow(alice, fields, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        person_create(actor=alice, **({"first_name": "Gale", "last_name": "Moss"} | fields))

    assert set(refused.value.message_dict) == set(fields)
    assert row_counts() == before


def test_it_refuses_an_unknown_field(alice, row_counts):
    before = row_counts()

    with pytest.raises(TypeError, match="agency"):
        person_create(actor=alice, first_name="Gale", last_name="Moss", agency=None)

    assert row_counts() == before


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_creating_is_refused_to_roles_that_do_not_work_cases(cast, role, row_counts):
    before = row_counts()

    with pytest.raises(PermissionDenied):
        person_create(actor=cast.actor(role), first_name="Gale", last_name="Moss")

    assert row_counts() == before


# person_update


def test_an_update_is_audited_by_field_name_never_value(gale, alice, new_audit_events):
    person = person_update(
        actor=alice, person=gale, last_name="Rivera", pronouns="she/her", preferred_language="en"
    )

    person = Person.objects.get(pk=person.pk)
    assert (person.last_name, person.pronouns) == ("Rivera", "she/her")
    [audit] = new_audit_events(action=AuditAction.PERSON_UPDATE)
    assert audit.object_id == str(gale.pk)
    # preferred_language was already "en": not a change.
    assert audit.details == {"fields": ["last_name", "pronouns"]}
    assert "Rivera" not in str(audit.details) + audit.reason


def test_an_update_of_name_or_birth_date_moves_the_name_index(gale, alice):
    person_update(actor=alice, person=gale, date_of_birth=date(1991, 1, 1))

    assert Person.objects.get(pk=gale.pk).name_dob_index == name_dob_index(
        "Gale", "Moss", date(1991, 1, 1)
    )


def test_an_update_that_changes_nothing_writes_nothing(gale, alice, new_audit_events):
    before = Person.objects.get(pk=gale.pk).updated_at

    person_update(actor=alice, person=gale, first_name="Gale", date_of_birth=DOB)

    assert Person.objects.get(pk=gale.pk).updated_at == before
    assert new_audit_events(action=AuditAction.PERSON_UPDATE) == []


def test_an_invalid_update_changes_nothing(gale, alice, new_audit_events):
    with pytest.raises(ValidationError) as refused:
        person_update(actor=alice, person=gale, last_name=" ", pronouns="they/them")

    assert "last_name" in refused.value.message_dict
    stored = Person.objects.get(pk=gale.pk)
    assert (stored.last_name, stored.pronouns) == ("Moss", "")
    assert new_audit_events(action=AuditAction.PERSON_UPDATE) == []


def test_an_update_refuses_an_unknown_field(gale, alice):
    with pytest.raises(TypeError, match="name_dob_index"):
        person_update(actor=alice, person=gale, name_dob_index="forged")

    assert Person.objects.get(pk=gale.pk).name_dob_index == name_dob_index("Gale", "Moss", DOB)


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_updating_is_refused_to_roles_that_do_not_work_cases(cast, role, gale, row_counts):
    before = row_counts()

    with pytest.raises(PermissionDenied):
        person_update(actor=cast.actor(role), person=gale, last_name="Rivera")

    assert Person.objects.get(pk=gale.pk).last_name == "Moss"
    assert row_counts() == before


# contact_point_add


def add_phone(actor, person, value="(312) 555-0199", **extra):
    return contact_point_add(
        actor=actor, person=person, kind=ContactKind.PHONE, value=value, **extra
    )


@pytest.mark.parametrize(
    "written",
    [
        "(312) 555-0199",
        "312-555-0199",
        "312.555.0199",
        "3125550199",
        "+1 312 555 0199",
        "1-312-555-0199",
        " +13125550199 ",
    ],
)
def test_a_phone_is_stored_in_e164_however_it_was_written(gale, alice, written):
    point = add_phone(alice, gale, written)

    point = ContactPoint.objects.get(pk=point.pk)
    assert point.value == "+13125550199"
    # One index for every way of writing it, so a look-up finds the person.
    assert point.value_index == blind_index("phone", "+13125550199")


def test_a_contact_point_is_added_with_its_safety_rules_and_audited(
    cast, gale, alice, new_audit_events
):
    point = add_phone(
        alice,
        gale,
        label="work",
        ok_voicemail=True,
        safe_from=time(9),
        safe_until=time(17),
        safety_note="Abuser checks texts",
    )

    point = ContactPoint.objects.get(pk=point.pk)
    assert point.agency == cast.agency_a and point.person == gale
    assert point.label == "work"
    assert (point.ok_to_contact, point.ok_voicemail, point.ok_text, point.ok_mail) == (
        True,
        True,
        False,
        False,
    )
    assert (point.safe_from, point.safe_until) == (time(9), time(17))
    assert point.safety_note == "Abuser checks texts"
    [audit] = new_audit_events(action=AuditAction.CONTACT_POINT_ADD)
    assert audit.object_type == "people.contactpoint"
    assert audit.object_id == str(point.pk)
    assert audit.details == {"person": gale.pk, "kind": "phone"}
    assert "0199" not in str(audit.details) and "texts" not in str(audit.details)


def test_nothing_is_ok_unless_the_victim_said_so(gale, alice):
    point = add_phone(alice, gale)

    point = ContactPoint.objects.get(pk=point.pk)
    assert not (point.ok_voicemail or point.ok_text or point.ok_mail)


@pytest.mark.parametrize("written", ["555-0199", "not a phone", "123", "+1 000 000 0000"])
def test_a_bad_phone_is_refused_naming_the_field(gale, alice, written, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        add_phone(alice, gale, written)

    assert written in refused.value.message_dict["value"][0]
    assert row_counts() == before


def test_an_email_is_kept_in_lower_case(gale, alice):
    point = contact_point_add(
        actor=alice, person=gale, kind=ContactKind.EMAIL, value=" Gale.Moss@Example.ORG "
    )

    point = ContactPoint.objects.get(pk=point.pk)
    assert point.value == "gale.moss@example.org"
    assert point.value_index == blind_index("email", "gale.moss@example.org")


@pytest.mark.parametrize("written", ["gale@", "gale at example.org", "@example.org"])
def test_a_bad_email_is_refused_naming_the_field(gale, alice, written, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        contact_point_add(actor=alice, person=gale, kind=ContactKind.EMAIL, value=written)

    assert refused.value.message_dict["value"] == [f"{written!r} is not an email address."]
    assert row_counts() == before


def test_an_address_is_kept_as_written_without_an_index(gale, alice):
    point = contact_point_add(
        actor=alice, person=gale, kind=ContactKind.ADDRESS, value="12 Elm St\nRiverside, IL 60546"
    )

    point = ContactPoint.objects.get(pk=point.pk)
    assert point.value == "12 Elm St\nRiverside, IL 60546"
    assert point.value_index == ""


@pytest.mark.parametrize(
    ("kind", "value", "field"),
    [
        ("pager", "555", "kind"),
        ("phone", "  ", "value"),
        ("address", "", "value"),
    ],
)
def test_an_unknown_kind_or_empty_value_is_refused(gale, alice, kind, value, field):
    with pytest.raises(ValidationError) as refused:
        contact_point_add(actor=alice, person=gale, kind=kind, value=value)

    assert field in refused.value.message_dict
    assert not ContactPoint.objects.filter(person=gale).exists()


def test_a_label_longer_than_the_record_keeps_is_refused(gale, alice):
    with pytest.raises(ValidationError) as refused:
        add_phone(alice, gale, label="x" * 41)

    assert "label" in refused.value.message_dict
    assert not ContactPoint.objects.filter(person=gale).exists()


def test_a_new_primary_phone_takes_the_flag_from_the_old_one(cast, gale, alice):
    email = contact_point_add(
        actor=alice, person=gale, kind=ContactKind.EMAIL, value="gale@example.org", is_primary=True
    )
    old = add_phone(alice, gale, "312-555-0199", is_primary=True)
    someone_elses = cast.victim_a.contact_points.get()

    new = add_phone(alice, gale, "312-555-0177", is_primary=True)

    primary = {p.pk: p.is_primary for p in ContactPoint.objects.all()}
    assert primary[new.pk] is True
    assert primary[old.pk] is False
    # Only phones change hands, and only this person's.
    assert primary[email.pk] is True
    assert primary[someone_elses.pk] is True


def test_a_phone_that_is_not_primary_leaves_the_flag_alone(gale, alice):
    old = add_phone(alice, gale, "312-555-0199", is_primary=True)

    add_phone(alice, gale, "312-555-0177")

    assert ContactPoint.objects.get(pk=old.pk).is_primary


@pytest.mark.parametrize(("safe_from", "safe_until"), [(time(9), None), (None, time(17))])
def test_safe_hours_need_both_ends(gale, alice, safe_from, safe_until, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        add_phone(alice, gale, safe_from=safe_from, safe_until=safe_until)

    assert "safe_until" in refused.value.message_dict
    assert row_counts() == before


def test_safe_hours_may_run_past_midnight(gale, alice):
    # A victim who works nights: safe to call 22:00 to 06:00.
    point = add_phone(alice, gale, safe_from=time(22), safe_until=time(6))

    stored = ContactPoint.objects.get(pk=point.pk)
    assert (stored.safe_from, stored.safe_until) == (time(22), time(6))


def test_a_contact_point_for_another_agencys_person_is_refused(cast, alice, row_counts):
    before = row_counts()

    with pytest.raises(PermissionDenied, match="another agency"):
        add_phone(alice, cast.case_b.primary_victim)

    assert row_counts() == before


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_adding_a_contact_point_is_refused_to_roles_that_do_not_work_cases(
    cast, role, gale, row_counts
):
    before = row_counts()

    with pytest.raises(PermissionDenied):
        add_phone(cast.actor(role), gale)

    assert row_counts() == before


def test_nothing_is_left_behind_when_adding_fails_halfway(gale, alice, monkeypatch, row_counts):
    old = add_phone(alice, gale, "312-555-0199", is_primary=True)
    before = row_counts()

    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        add_phone(alice, gale, "312-555-0177", is_primary=True)

    assert row_counts() == before
    # The old phone kept its primary flag.
    assert ContactPoint.objects.get(pk=old.pk).is_primary


def test_nothing_is_left_behind_when_creating_fails_halfway(alice, monkeypatch, row_counts):
    before = row_counts()

    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        person_create(actor=alice, first_name="Gale", last_name="Moss")

    assert row_counts() == before


def test_the_database_holds_no_name_or_birth_date_in_clear(alice):
    person = person_create(
        actor=alice,
        first_name="Josefina",
        middle_name="Amalia",
        last_name="Quintanilla",
        preferred_name="Fina",
        date_of_birth=DOB,
    )
    services.person_alias_add(actor=alice, person=person, first_name="Fina", last_name="Oduya")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT first_name, middle_name, last_name, preferred_name, date_of_birth, "
            "name_dob_index, name_index, last_name_index, sounds_like_index "
            "FROM people_person WHERE id = %s",
            [person.pk],
        )
        row = cursor.fetchone()
        cursor.execute("SELECT first_name, last_name FROM people_personalias")
        row += cursor.fetchone()
    stored = " ".join(row).casefold()
    for clear in ("josefina", "amalia", "quintanilla", "fina", "oduya", "1990", "04-12"):
        assert clear not in stored
    assert all(value.startswith(TOKEN_PREFIX) for value in (*row[:5], *row[9:]))
    assert Person.objects.get(pk=person.pk).date_of_birth == DOB


def test_an_encrypted_name_cannot_be_filtered_or_ordered_on_in_sql(alice, gale):
    with pytest.raises(FieldError, match="encrypted"):
        Person.objects.filter(last_name="Moss").exists()
    with pytest.raises(FieldError):
        Person.objects.filter(last_name__istartswith="M").exists()
    with pytest.raises(FieldError):
        Person.objects.filter(date_of_birth__year=1990).exists()


def test_a_name_longer_than_100_characters_is_refused(alice):
    with pytest.raises(ValidationError) as refused:
        person_create(actor=alice, first_name="A" * 101, last_name="Moss")
    assert "first_name" in refused.value.message_dict
