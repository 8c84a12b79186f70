"""The case page is stamped on every change to this app's rows it shows (cases/page_stamp.py)."""

from django.db import migrations

from haven.cases.page_stamp import CASE, StampTables


class Migration(migrations.Migration):
    dependencies = [("protocols", "0002_record_version"), ("cases", "0005_case_page_stamp")]
    operations = [
        StampTables(
            ("protocols_caseprotocol", "case_id", CASE),
            ("protocols_casestep", "case_id", CASE),
        )
    ]
