from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("funding", "0004_receipts_into_documents")]

    operations = [migrations.RemoveField(model_name="emergencyrequest", name="receipt")]
