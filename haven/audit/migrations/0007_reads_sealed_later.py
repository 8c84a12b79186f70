"""Reads are appended unsealed (seq NULL) and sealed into their chain by the worker: the
PostgreSQL trigger lets exactly that one change through (seq, prev_hash and hash set on an
event that had no seq, nothing else changed) and still refuses every other UPDATE and DELETE."""

from django.db import migrations, models

SEALING = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash')
           = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
STRICT = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEALING, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STRICT, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_action_without_choices")]
    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(null=True),
        ),
        migrations.RunPython(forward, backward),
    ]
