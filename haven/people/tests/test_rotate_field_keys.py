from datetime import date, time, timedelta
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from haven.audit.models import SYSTEM_CHAIN, AuditAction, AuditEvent
from haven.cases.models import Contact, Note
from haven.cases.people_selectors import people_matching
from haven.cases.services import contact_log
from haven.cases.testing import build_cast
from haven.lib.crypto import decrypt
from haven.people.management.commands import rotate_field_keys
from haven.people.models import ContactKind, ContactPoint, Person, PersonAlias
from haven.people.services import contact_point_add, person_alias_add, person_update

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


@pytest.fixture
def old_cast(db, settings):
    """The cast, with a contact summary and a safety note besides, all written under OLD."""
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    cast = build_cast()
    contact_log(
        actor=cast.actor("advocate"),
        case=cast.case_a,
        outcome="completed",
        channel="phone",
        direction="outbound",
        occurred_at=timezone.now() - timedelta(minutes=5),
        summary="Talked about the protective order.",
    )
    contact_point_add(
        actor=cast.actor("supervisor"),
        person=cast.victim_a,
        kind=ContactKind.PHONE,
        value="312-555-0199",
        safe_from=time(17),
        safe_until=time(20),
        safety_note="Her sister's phone: ask for Dana.",
    )
    return cast


def raw_tokens() -> dict[str, list[str]]:
    """Every non-empty encrypted value in the database, as stored, by model.field."""
    tokens = {}
    for model, fields in rotate_field_keys.encrypted_fields():
        table = connection.ops.quote_name(model._meta.db_table)
        for field in fields:
            column = connection.ops.quote_name(field.column)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608
                values = [value for (value,) in cursor.fetchall() if value]
            tokens[f"{model._meta.label_lower}.{field.name}"] = values
    return tokens


def run(*args) -> str:
    out = StringIO()
    call_command("rotate_field_keys", *args, stdout=out)
    return out.getvalue()


def test_the_command_finds_every_encrypted_field_by_itself():
    found = {
        f"{model._meta.label_lower}.{field.name}"
        for model, fields in rotate_field_keys.encrypted_fields()
        for field in fields
    }

    assert {
        "cases.case.narrative",
        "cases.contact.summary",
        "cases.note.body",
        "people.contactpoint.value",
        "people.contactpoint.safety_note",
    } <= found


def test_rotation_moves_every_value_to_the_new_key(old_cast, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    out = run()

    assert "cases.note (body): 1 rows, 1 re-encrypted" in out
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert Note.objects.get(case=old_cast.case_a).body == (
        "Victim asked to be called after 5pm at work."
    )
    assert Contact.objects.exclude(summary="").get().summary == (
        "Talked about the protective order."
    )
    assert set(ContactPoint.objects.values_list("value", flat=True)) == {
        "+13125550142",
        "+13125550199",
    }
    assert ContactPoint.objects.exclude(safety_note="").get().safety_note == (
        "Her sister's phone: ask for Dana."
    )
    stored = raw_tokens()
    # Besides: both victims' first and last names.
    assert sum(len(values) for values in stored.values()) == 10
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    for label, values in stored.items():
        for token in values:
            assert decrypt(token), label


def test_after_rotation_the_old_key_alone_reads_nothing(old_cast, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    run()

    settings.FIELD_ENCRYPTION_KEYS = [OLD]

    with pytest.raises(ImproperlyConfigured, match="a key that is still in use was removed"):
        Note.objects.get(case=old_cast.case_a)
    for values in raw_tokens().values():
        for token in values:
            with pytest.raises(ImproperlyConfigured):
                decrypt(token)


def test_check_counts_what_is_left_and_rotation_audits_what_it_did(old_cast, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    with pytest.raises(CommandError, match="7 rows still need an older key"):
        run("--check")
    assert not AuditEvent.objects.filter(action=AuditAction.KEYS_ROTATE).exists()

    run()

    assert "Every encrypted value is under the primary key." in run("--check")
    event = AuditEvent.objects.get(action=AuditAction.KEYS_ROTATE)
    assert event.chain == SYSTEM_CHAIN
    assert event.agency_id is None and event.actor_id is None
    assert event.actor_label == "manage.py rotate_field_keys"
    assert event.details["rows"] == 7  # a note, a contact, three contact points, two people
    assert "people.contactpoint.safety_note" in event.details["fields"]


def test_a_second_run_has_nothing_left_to_do(old_cast, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    run()
    before = raw_tokens()

    out = run()

    assert "Done: 0 rows re-encrypted" in out
    assert raw_tokens() == before


def test_an_interrupted_run_keeps_its_finished_batches_and_a_rerun_finishes(
    old_cast, settings, monkeypatch
):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    real_reencrypt = rotate_field_keys.reencrypt
    calls = []

    def reencrypt_then_fail(token):
        calls.append(token)
        if len(calls) == 3:
            raise RuntimeError("interrupted")
        return real_reencrypt(token)

    monkeypatch.setattr(rotate_field_keys, "reencrypt", reencrypt_then_fail)
    with pytest.raises(RuntimeError, match="interrupted"):
        run("--batch-size", "1")
    monkeypatch.setattr(rotate_field_keys, "reencrypt", real_reencrypt)

    with pytest.raises(CommandError, match="5 rows still need an older key"):
        run("--check")
    assert "Done: 5 rows re-encrypted" in run("--batch-size", "1")
    assert "Every encrypted value is under the primary key." in run("--check")


def test_a_value_no_key_can_read_stops_the_command_naming_the_row(old_cast, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    # Models are walked in label order: the contact log is the first with a value.
    contact = Contact.objects.only("pk").exclude(summary="").get()

    with pytest.raises(
        CommandError, match=rf"cases\.contact\.summary of row {contact.pk} cannot be read"
    ):
        run()
    assert not AuditEvent.objects.filter(action=AuditAction.KEYS_ROTATE).exists()


def test_reindex_makes_look_ups_work_again_after_the_index_key_changed(old_cast, settings):
    born = date(1990, 4, 2)
    person_update(actor=old_cast.actor("supervisor"), person=old_cast.victim_a, date_of_birth=born)
    advocate = old_cast.actor("advocate")
    settings.BLIND_INDEX_KEY = "a-new-blind-index-key"
    assert people_matching(advocate, phone="312.555.0142") == []
    assert people_matching(advocate, first_name="Dana", last_name="Reyes", date_of_birth=born) == []

    out = run("--reindex")

    assert "people.contactpoint.value_index: 3 rows reindexed" in out
    assert "people.person: 2 rows reindexed" in out  # both victims: every index changed
    assert people_matching(advocate, phone="312.555.0142") == [old_cast.victim_a]
    assert people_matching(advocate, first_name="Dana", last_name="Reyes", date_of_birth=born) == [
        old_cast.victim_a
    ]
    event = AuditEvent.objects.get(action=AuditAction.KEYS_ROTATE)
    assert event.details["reindexed"] == {
        "people.person": 2,
        "people.personalias": 0,
        "people.contactpoint.value_index": 3,
    }


def test_rotation_re_encrypts_names_birth_dates_and_aliases(old_cast, settings):
    supervisor = old_cast.actor("supervisor")
    dana = old_cast.victim_a
    person_update(
        actor=supervisor, person=dana, date_of_birth=date(1990, 4, 2), preferred_name="Dani"
    )
    person_alias_add(actor=supervisor, person=dana, first_name="Dana", last_name="Moss")
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    out = run()

    assert (
        "people.person (first_name, middle_name, last_name, preferred_name, date_of_birth): " in out
    )
    assert "people.personalias (first_name, last_name): 1 rows, 1 re-encrypted" in out
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    dana = Person.objects.get(pk=dana.pk)
    assert (dana.first_name, dana.last_name, dana.preferred_name) == ("Dana", "Reyes", "Dani")
    assert dana.date_of_birth == date(1990, 4, 2)
    assert str(PersonAlias.objects.get()) == "Dana Moss"
    stored = raw_tokens()
    assert decrypt(stored["people.person.date_of_birth"][0]) == "1990-04-02"
    assert len(stored["people.personalias.last_name"]) == 1


def test_generate_field_key_prints_a_usable_key_and_how_to_rotate():
    out, err = StringIO(), StringIO()

    call_command("generate_field_key", stdout=out, stderr=err)

    key = out.getvalue().strip()
    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"x")) == b"x"
    assert "rotate_field_keys" in err.getvalue()
