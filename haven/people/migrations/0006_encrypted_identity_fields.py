"""The encrypted fields of names and birth dates (see 0004); the columns stay text."""

from django.db import migrations

import haven.lib.crypto


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_encrypt_names_and_birth_dates"),
    ]

    operations = [
        # 3. The encrypted fields (the columns stay text).
        *[
            migrations.AlterField(
                model_name="person",
                name=name,
                field=haven.lib.crypto.EncryptedTextField(blank=blank, max_length=100),
            )
            for name, blank in (
                ("first_name", False),
                ("middle_name", True),
                ("last_name", False),
                ("preferred_name", True),
            )
        ],
        migrations.AlterField(
            model_name="person",
            name="date_of_birth",
            field=haven.lib.crypto.EncryptedDateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="personalias",
            name="first_name",
            field=haven.lib.crypto.EncryptedTextField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name="personalias",
            name="last_name",
            field=haven.lib.crypto.EncryptedTextField(max_length=100),
        ),
    ]
