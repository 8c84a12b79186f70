"""Names and birth dates encrypted at rest, with the blind indexes that replace SQL on them.

Three migrations, each in its own transaction (PostgreSQL refuses to build an index in a
transaction that has just updated the table's rows): 0004 makes the columns plain text (a
date as its ISO form) and adds the index columns, 0005 encrypts and indexes each row in
batches, 0006 makes the fields the encrypted ones (no change to the columns). Migrating back
decrypts the rows into names and dates again.
"""

from django.db import migrations, models


def _index():
    return models.CharField(blank=True, db_index=True, max_length=64)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_age_band_from_reports"),
    ]

    operations = [
        # An index on ciphertext orders nothing.
        migrations.RemoveIndex(model_name="person", name="people_pers_agency__c22fdd_idx"),
        migrations.AddField(model_name="person", name="name_index", field=_index()),
        migrations.AddField(model_name="person", name="last_name_index", field=_index()),
        migrations.AddField(model_name="person", name="sounds_like_index", field=_index()),
        migrations.AddField(model_name="personalias", name="name_index", field=_index()),
        migrations.AddField(model_name="personalias", name="last_name_index", field=_index()),
        # 1. Plain text columns, wide enough for a Fernet token.
        *[
            migrations.AlterField(
                model_name="person", name=name, field=models.TextField(blank=blank)
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
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="personalias", name="first_name", field=models.TextField(blank=True)
        ),
        migrations.AlterField(model_name="personalias", name="last_name", field=models.TextField()),
    ]
