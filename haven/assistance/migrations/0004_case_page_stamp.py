"""The case page is stamped on every change to this app's rows it shows (cases/page_stamp.py)."""

from django.db import migrations

from haven.cases.page_stamp import CASE, StampTables


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0003_service_funding_source"),
        ("cases", "0005_case_page_stamp"),
    ]
    operations = [
        StampTables(
            ("assistance_serviceprovided", "case_id", CASE),
        )
    ]
