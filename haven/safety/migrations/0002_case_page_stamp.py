"""The case page is stamped on every change to this app's rows it shows (cases/page_stamp.py)."""

from django.db import migrations

from haven.cases.page_stamp import PERSON, StampTables


class Migration(migrations.Migration):
    dependencies = [("safety", "0001_initial"), ("cases", "0005_case_page_stamp")]
    operations = [
        StampTables(
            ("safety_safetyplan", "person_id", PERSON),
        )
    ]
