import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_documents"),
        ("funding", "0002_record_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="emergencyrequest",
            name="receipt_document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="documents.document",
            ),
        ),
    ]
