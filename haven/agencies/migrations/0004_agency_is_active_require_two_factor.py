from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0003_closure_review_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="is_active",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="agency",
            name="require_two_factor",
            field=models.BooleanField(default=False),
        ),
    ]
