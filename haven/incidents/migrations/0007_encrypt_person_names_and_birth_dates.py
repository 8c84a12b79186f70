"""Encrypt the names and birth dates of every person on a report (see 0006); back: decrypt."""

from django.db import migrations

from haven.lib.crypto import decrypt, encrypt

BATCH = 1000
FIELDS = ("first_name", "last_name", "date_of_birth")


def _batches(model):
    last_pk = 0
    while True:
        rows = list(
            model._base_manager.filter(pk__gt=last_pk).order_by("pk").only("pk", *FIELDS)[:BATCH]
        )
        if not rows:
            return
        yield rows
        last_pk = rows[-1].pk


def _rewrite(apps, change) -> None:
    IncidentPerson = apps.get_model("incidents", "IncidentPerson")
    for rows in _batches(IncidentPerson):
        for person in rows:
            for name in FIELDS:
                value = getattr(person, name)
                if value:
                    setattr(person, name, change(name, str(value)))
        IncidentPerson._base_manager.bulk_update(rows, FIELDS)


def encrypt_identities(apps, schema_editor):
    # A date column made text holds the ISO form ("1984-07-09"; [:10] in case of a time).
    _rewrite(apps, lambda name, value: encrypt(value[:10] if name == "date_of_birth" else value))


def decrypt_identities(apps, schema_editor):
    _rewrite(apps, lambda name, value: decrypt(value))


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0006_person_identity_columns_as_text"),
    ]

    operations = [
        # 2. Every row encrypted.
        migrations.RunPython(encrypt_identities, decrypt_identities, elidable=False),
    ]
