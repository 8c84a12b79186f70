"""A purge may take the typed words (reason, free-text details) out of the sealed events
about the records it destroyed, once per event, naming the chained audit.redact event that
vouches for the rest: the PostgreSQL trigger lets exactly that change through (reason emptied,
details and redacted_by set on a sealed event not redacted before, nothing else changed), as
well as the sealing of 0007, and still refuses every other UPDATE and DELETE."""

from django.db import migrations, models

REDACTING = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash')
           = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.seq IS NOT NULL AND OLD.redacted_by IS NULL
       AND NEW.redacted_by IS NOT NULL AND NEW.reason = ''
       AND (to_jsonb(NEW) - 'reason' - 'details' - 'redacted_by')
           = (to_jsonb(OLD) - 'reason' - 'details' - 'redacted_by') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
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


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REDACTING, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEALING, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_reads_sealed_later")]
    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="redacted_by",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(forward, backward),
    ]
