"""The case page's stamp (cases/page_stamp.py): the table, the triggers on the case's own tables
and on the people on it, and a first stamp for every case already there."""

import django.db.models.deletion
from django.db import migrations, models

from haven.cases.page_stamp import CASE, PERSON, StampTables, new_stamp_sql


def stamp_every_case(apps, schema_editor):
    new_stamp = new_stamp_sql(schema_editor.connection.vendor)
    schema_editor.execute(
        f"INSERT INTO cases_casepagestamp (case_id, stamp) SELECT id, {new_stamp} FROM cases_case",
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_closure_reasons_and_review"),
        ("people", "0007_record_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="CasePageStamp",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="page_stamp",
                        serialize=False,
                        to="cases.case",
                    ),
                ),
                ("stamp", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(stamp_every_case, migrations.RunPython.noop),
        StampTables(
            ("cases_case", "id", CASE),
            ("cases_casevictimization", "case_id", CASE),
            ("cases_caseperson", "case_id", CASE),
            ("cases_caseevent", "case_id", CASE),
            ("cases_contact", "case_id", CASE),
            ("cases_note", "case_id", CASE),
            ("cases_task", "case_id", CASE),
            ("people_person", "id", PERSON),
            ("people_contactpoint", "person_id", PERSON),
        ),
    ]
