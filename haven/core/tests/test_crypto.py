import base64
import json
from datetime import date, timedelta

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from haven.audit.models import AuditAction, AuditEvent
from haven.cases.models import Contact, Note
from haven.cases.people_selectors import people_matching
from haven.cases.services import contact_log
from haven.lib.crypto import TOKEN_PREFIX, decrypt, encrypt, encrypted_with_primary, reencrypt
from haven.people.models import ContactKind, ContactPoint
from haven.people.services import contact_point_add, person_update

NOTE = "Victim asked to be called after 5pm at work."


def raw_value(table: str, column: str, pk: int) -> str:
    """The column as the database holds it, past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def log_contact_with_summary(cast, summary: str) -> Contact:
    return contact_log(
        actor=cast.actor("advocate"),
        case=cast.case_a,
        outcome="completed",
        channel="phone",
        direction="outbound",
        occurred_at=timezone.now() - timedelta(minutes=5),
        summary=summary,
    )


@pytest.mark.django_db
def test_encrypted_fields_hold_ciphertext_in_the_database_and_plaintext_in_python(cast):
    note = Note.objects.get(case=cast.case_a)
    contact = log_contact_with_summary(cast, "Talked about the protective order.")
    phone = ContactPoint.objects.get(person=cast.victim_a, kind=ContactKind.PHONE)

    stored = {
        "note": raw_value("cases_note", "body", note.pk),
        "summary": raw_value("cases_contact", "summary", contact.pk),
        "phone": raw_value("people_contactpoint", "value", phone.pk),
    }

    for column, ciphertext in stored.items():
        assert ciphertext.startswith(TOKEN_PREFIX), column
    assert "5pm" not in stored["note"]
    assert "protective" not in stored["summary"]
    assert "5550142" not in stored["phone"]
    assert Note.objects.get(pk=note.pk).body == NOTE
    assert Contact.objects.get(pk=contact.pk).summary == "Talked about the protective order."
    assert ContactPoint.objects.get(pk=phone.pk).value == "+13125550142"


@pytest.mark.django_db
def test_the_same_plaintext_encrypts_differently_each_time(cast):
    first = log_contact_with_summary(cast, "Same words.")
    second = log_contact_with_summary(cast, "Same words.")

    assert raw_value("cases_contact", "summary", first.pk) != raw_value(
        "cases_contact", "summary", second.pk
    )


@pytest.mark.django_db
def test_a_removed_key_is_a_clear_configuration_error(cast):
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(ImproperlyConfigured, match="a key that is still in use was removed"),
    ):
        Note.objects.get(case=cast.case_a)


@pytest.mark.django_db
def test_a_malformed_key_names_the_setting_and_the_command(cast):
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=["not-a-fernet-key"]),
        pytest.raises(ImproperlyConfigured, match="HAVEN_FIELD_KEYS.*generate_field_key"),
    ):
        Note.objects.get(case=cast.case_a)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lookup", "message"),
    [
        ({"body": NOTE}, "Note.body is encrypted and cannot be matched on its value"),
        ({"body__icontains": "5pm"}, "Unsupported lookup 'icontains'"),
        ({"body__startswith": "V"}, "Unsupported lookup 'startswith'"),
        ({"body__in": [NOTE]}, "Unsupported lookup 'in'"),
    ],
)
def test_filtering_on_an_encrypted_value_is_refused(cast, lookup, message):
    with pytest.raises(FieldError, match=message):
        Note.objects.filter(**lookup)


@pytest.mark.django_db
def test_an_encrypted_field_can_still_be_tested_for_emptiness(cast):
    with_summary = log_contact_with_summary(cast, "Has a summary.")

    assert Note.objects.filter(case=cast.case_a, body__isnull=False).count() == 1
    empty = set(Contact.objects.filter(case=cast.case_a, summary="").values_list("pk", flat=True))
    assert empty and with_summary.pk not in empty


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["(312) 555-0142", "+1 312 555 0142", "312.555.0142"])
def test_a_phone_in_any_format_finds_the_victim(cast, phone):
    assert people_matching(cast.actor("advocate"), phone=phone) == [cast.victim_a]


@pytest.mark.django_db
def test_another_number_finds_nobody(cast):
    assert people_matching(cast.actor("advocate"), phone="(312) 555-0143") == []


@pytest.mark.django_db
def test_an_email_matches_whatever_its_case_and_spacing(cast):
    contact_point_add(
        actor=cast.actor("supervisor"),
        person=cast.victim_a,
        kind=ContactKind.EMAIL,
        value="Dana.Reyes@Example.org",
    )

    found = people_matching(cast.actor("advocate"), email="  dana.reyes@EXAMPLE.ORG ")

    assert found == [cast.victim_a]
    assert people_matching(cast.actor("advocate"), email="dana.reyes@example.com") == []


@pytest.mark.django_db
def test_name_and_birth_date_match_exactly_across_accents_and_case(cast):
    born = date(1990, 4, 2)
    person_update(
        actor=cast.actor("supervisor"),
        person=cast.victim_a,
        first_name="José",
        date_of_birth=born,
    )
    advocate = cast.actor("advocate")

    assert people_matching(advocate, first_name="jose", last_name="REYES", date_of_birth=born) == [
        cast.victim_a
    ]
    assert (
        people_matching(
            advocate, first_name="jose", last_name="reyes", date_of_birth=date(1990, 4, 3)
        )
        == []
    )
    assert (
        people_matching(advocate, first_name="josie", last_name="reyes", date_of_birth=born) == []
    )


@pytest.mark.django_db
def test_another_agency_finds_only_its_own_people(cast):
    born = date(1990, 4, 2)
    person_update(actor=cast.actor("supervisor"), person=cast.victim_a, date_of_birth=born)
    charlie = cast.actor("other_advocate")

    # Both agencies' victims have this number: each agency finds only its own.
    assert people_matching(charlie, phone="(312) 555-0142") == [cast.case_b.primary_victim]
    assert people_matching(charlie, first_name="Dana", last_name="Reyes", date_of_birth=born) == []


@pytest.mark.django_db
def test_a_look_up_is_audited_with_its_keys_never_its_values(cast):
    person_update(
        actor=cast.actor("supervisor"), person=cast.victim_a, date_of_birth=date(1990, 4, 2)
    )

    people_matching(
        cast.actor("advocate"),
        phone="(312) 555-0142",
        first_name="Dana",
        last_name="Reyes",
        date_of_birth=date(1990, 4, 2),
    )

    event = AuditEvent.objects.filter(action=AuditAction.PERSON_SEARCH).get()
    assert event.actor_id == cast.advocate.user_id
    assert event.agency_id == cast.agency_a.pk
    assert event.details == {"keys": ["phone", "name_dob"], "found": [cast.victim_a.pk]}
    recorded = json.dumps(event.details) + event.reason
    for secret in ("5550142", "555-0142", "Dana", "Reyes", "1990"):
        assert secret not in recorded


def test_the_security_doc_lists_every_encrypted_field():
    """docs/security.md's table is what an operator reads to know what is encrypted."""
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    from haven.lib.crypto import EncryptedTextField

    doc = (Path(settings.BASE_DIR) / "docs" / "security.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip(" `"): line for line in doc.splitlines() if line.startswith("| `")
    }
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.fields
        if isinstance(field, EncryptedTextField)
        and f"`{field.name}`" not in rows.get(model._meta.label, "")
    ]
    assert not missing, f"add to docs/security.md's encryption table: {missing}"


@pytest.mark.django_db
def test_a_token_written_with_fernet_before_is_still_read_and_rotation_rewrites_it(cast, settings):
    """Values encrypted before the `hv2:` form (Fernet tokens under the same key) read as
    before; `rotate_field_keys` rewrites them in the current form."""
    from io import StringIO

    from django.core.management import call_command

    note = Note.objects.get(case=cast.case_a)
    legacy = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode()).encrypt(b"Written in 2025.")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_note SET body = %s WHERE id = %s", [legacy.decode(), note.pk])

    assert Note.objects.get(pk=note.pk).body == "Written in 2025."
    assert not encrypted_with_primary(legacy.decode())

    call_command("rotate_field_keys", stdout=StringIO())

    rewritten = raw_value("cases_note", "body", note.pk)
    assert rewritten.startswith(TOKEN_PREFIX) and encrypted_with_primary(rewritten)
    assert Note.objects.get(pk=note.pk).body == "Written in 2025."


def test_a_token_names_its_key_and_any_listed_key_reads_it(settings):
    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [first]
    token = encrypt("Dana Reyes")

    settings.FIELD_ENCRYPTION_KEYS = [second, first]
    assert decrypt(token) == "Dana Reyes"
    assert not encrypted_with_primary(token)
    assert encrypted_with_primary(reencrypt(token))

    settings.FIELD_ENCRYPTION_KEYS = [second]
    with pytest.raises(ImproperlyConfigured, match="a key that is still in use was removed"):
        decrypt(token)


def test_a_changed_byte_makes_the_token_unreadable(settings):
    token = encrypt("Dana Reyes")
    raw = bytearray(base64.urlsafe_b64decode(token.removeprefix(TOKEN_PREFIX)))
    raw[-1] ^= 1  # the tag
    tampered = TOKEN_PREFIX + base64.urlsafe_b64encode(bytes(raw)).decode()

    with pytest.raises(ImproperlyConfigured):
        decrypt(tampered)
    with pytest.raises(ImproperlyConfigured):
        decrypt(TOKEN_PREFIX + "not base64!")
