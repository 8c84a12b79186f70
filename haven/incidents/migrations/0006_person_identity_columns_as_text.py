"""The names and birth dates of the people on reports encrypted at rest, like a Person's (people
0004-0006, docs/security.md).

Three migrations, each in its own transaction, as for people: 0006 makes the columns plain text
(a date as its ISO form), 0007 encrypts each row in batches, 0008 makes the fields the
encrypted ones (no change to the columns). Migrating back decrypts the rows into names and
dates again. No blind index is added: nothing looks a report's person up by name in SQL.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0005_investigation_status"),
    ]

    operations = [
        # 1. Plain text columns, wide enough for a Fernet token.
        migrations.AlterField(
            model_name="incidentperson", name="first_name", field=models.TextField(blank=True)
        ),
        migrations.AlterField(
            model_name="incidentperson", name="last_name", field=models.TextField(blank=True)
        ),
        migrations.AlterField(
            model_name="incidentperson",
            name="date_of_birth",
            field=models.TextField(blank=True, null=True),
        ),
    ]
