"""The case page is stamped on every change to this app's rows it shows (cases/page_stamp.py)."""

from django.db import migrations

from haven.cases.page_stamp import CASE, StampTables


class Migration(migrations.Migration):
    dependencies = [("lethality", "0001_initial"), ("cases", "0005_case_page_stamp")]
    operations = [
        StampTables(
            ("lethality_lethalityscreen", "case_id", CASE),
        )
    ]
