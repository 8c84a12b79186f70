"""Encrypt and index the names and birth dates of every person and alias (see 0004). The
indexing functions are written out here as they are today, so a later change to
people.indexes cannot change this migration; `rotate_field_keys --reindex` recomputes the
indexes with the code of the day.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import migrations

from haven.lib.crypto import decrypt, encrypt, normalize_name
from haven.lib.phonetic import soundex

BATCH = 1000
PERSON_NAMES = ("first_name", "middle_name", "last_name", "preferred_name")


def _digest(kind: str, value: str) -> str:
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _name_indexes(first: str, last: str) -> dict:
    first, last = normalize_name(first), normalize_name(last)
    return {
        "name_index": _digest("name", f"{first}|{last}") if first and last else "",
        "last_name_index": _digest("last_name", last) if last else "",
    }


def _sounds_like(last: str) -> str:
    last = normalize_name(last)
    key = soundex(last)[:3] or last[:1]
    return _digest("sounds_like", key) if key else ""


def _batches(model):
    last_pk = 0
    while True:
        rows = list(model._base_manager.filter(pk__gt=last_pk).order_by("pk")[:BATCH])
        if not rows:
            return
        yield rows
        last_pk = rows[-1].pk


def encrypt_identities(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonAlias = apps.get_model("people", "PersonAlias")
    for rows in _batches(Person):
        for person in rows:
            person.name_index = _name_indexes(person.first_name, person.last_name)["name_index"]
            person.last_name_index = _name_indexes("", person.last_name)["last_name_index"]
            person.sounds_like_index = _sounds_like(person.last_name)
            if person.date_of_birth:
                born = str(person.date_of_birth)[:10]
                key = f"{normalize_name(person.first_name)}|{normalize_name(person.last_name)}"
                person.name_dob_index = _digest("name_dob", f"{key}|{born}")
            for name in PERSON_NAMES:
                value = getattr(person, name)
                setattr(person, name, encrypt(value) if value else value)
            if person.date_of_birth:
                person.date_of_birth = encrypt(str(person.date_of_birth)[:10])
        Person._base_manager.bulk_update(
            rows,
            [
                *PERSON_NAMES,
                "date_of_birth",
                "name_dob_index",
                "name_index",
                "last_name_index",
                "sounds_like_index",
            ],
        )
    for rows in _batches(PersonAlias):
        for alias in rows:
            indexes = _name_indexes(alias.first_name, alias.last_name)
            alias.name_index, alias.last_name_index = (
                indexes["name_index"],
                indexes["last_name_index"],
            )
            alias.first_name = encrypt(alias.first_name) if alias.first_name else ""
            alias.last_name = encrypt(alias.last_name) if alias.last_name else ""
        PersonAlias._base_manager.bulk_update(
            rows, ["first_name", "last_name", "name_index", "last_name_index"]
        )


def decrypt_identities(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonAlias = apps.get_model("people", "PersonAlias")
    for rows in _batches(Person):
        for person in rows:
            for name in (*PERSON_NAMES, "date_of_birth"):
                value = getattr(person, name)
                setattr(person, name, decrypt(value) if value else value)
        Person._base_manager.bulk_update(rows, [*PERSON_NAMES, "date_of_birth"])
    for rows in _batches(PersonAlias):
        for alias in rows:
            alias.first_name = decrypt(alias.first_name) if alias.first_name else ""
            alias.last_name = decrypt(alias.last_name) if alias.last_name else ""
        PersonAlias._base_manager.bulk_update(rows, ["first_name", "last_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_identity_columns_as_text"),
    ]

    operations = [
        # 2. Every row encrypted and indexed.
        migrations.RunPython(encrypt_identities, decrypt_identities, elidable=False),
    ]
