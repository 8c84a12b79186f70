"""The case page is stamped on every change to this app's rows it shows (cases/page_stamp.py)."""

from django.db import migrations

from haven.cases.page_stamp import CASE, StampTables


class Migration(migrations.Migration):
    dependencies = [("followup", "0003_record_version"), ("cases", "0005_case_page_stamp")]
    operations = [
        StampTables(
            ("followup_followup", "case_id", CASE),
            ("followup_followupplan", "case_id", CASE),
        )
    ]
