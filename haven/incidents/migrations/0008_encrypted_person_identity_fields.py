"""The encrypted fields of names and birth dates on reports (see 0006); the columns stay text."""

from django.db import migrations

import haven.lib.crypto


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0007_encrypt_person_names_and_birth_dates"),
    ]

    operations = [
        # 3. The encrypted fields (the columns stay text).
        migrations.AlterField(
            model_name="incidentperson",
            name="first_name",
            field=haven.lib.crypto.EncryptedTextField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name="incidentperson",
            name="last_name",
            field=haven.lib.crypto.EncryptedTextField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name="incidentperson",
            name="date_of_birth",
            field=haven.lib.crypto.EncryptedDateField(blank=True, null=True),
        ),
    ]
