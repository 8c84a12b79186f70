"""OutreachRule and OutreachDecision now belong to haven.outreach (outreach/0001): forget them
here without touching their tables or rows."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0002_outreach_rules'),
        ('outreach', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='OutreachDecision'),
                migrations.DeleteModel(name='OutreachRule'),
            ],
        ),
    ]
