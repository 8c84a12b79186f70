"""Give the moved tables and their index this app's names (renames: every row stays) and move
their content types, so anything that refers to them by content type follows."""

from django.db import migrations

MODELS = ("outreachrule", "outreachdecision")


def content_types_to(app_label_from: str, app_label_to: str):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for model in MODELS:
            # A fresh database may already hold the new one (post_migrate made it): keep that.
            if ContentType.objects.using(db).filter(app_label=app_label_to, model=model).exists():
                continue
            ContentType.objects.using(db).filter(app_label=app_label_from, model=model).update(
                app_label=app_label_to
            )

    return move


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("incidents", "0003_outreach_moved_to_outreach_app"),
        ("outreach", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="outreachrule", table=None),
        migrations.AlterModelTable(name="outreachdecision", table=None),
        migrations.RenameIndex(
            model_name="outreachdecision",
            new_name="outreach_ou_agency__45b859_idx",
            old_name="incidents_o_agency__aa53e1_idx",
        ),
        migrations.RunPython(
            content_types_to("incidents", "outreach"), content_types_to("outreach", "incidents")
        ),
    ]
