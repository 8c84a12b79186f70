"""Re-encrypt every encrypted field under the primary key, after a new key was put first.

The fields are found, not listed: every EncryptedTextField of every installed model, so a new
encrypted field is covered without touching this command. Apps above people add what else they
encrypt (haven.documents: the stored files) through haven.lib.crypto.register_rotation.
Each batch of rows is one transaction, so the command can be interrupted and run again; it
skips values the primary key already reads. The operator's procedure is in docs/security.md
("Rotating keys").
"""

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Model, TextField, Value
from django.db.models.functions import Cast

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.scoping import all_agencies
from haven.lib.crypto import EncryptedTextField, encrypted_with_primary, reencrypt, rotations
from haven.people.reindex import reindex_aliases, reindex_contact_points, reindex_people

ACTOR_LABEL = "manage.py rotate_field_keys"


def encrypted_fields() -> list[tuple[type[Model], list[EncryptedTextField]]]:
    """Each model with encrypted columns in its own table, and those fields."""
    found = []
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label_lower):
        if model._meta.proxy:
            continue
        # local_concrete_fields: a multi-table child's parent columns are done with the parent.
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


def rotate_model(
    model: type[Model], fields: list[EncryptedTextField], *, batch_size: int, write: bool
) -> tuple[int, int]:
    """Re-encrypt one model's encrypted columns; return (rows seen, rows needing a new key).

    The ciphertext is read through a cast to a plain TextField, so from_db_value does not
    decrypt it, and written back through Value(..., TextField()), so get_prep_value does not
    encrypt it a second time. Each batch is locked while it is rewritten (SELECT ... FOR UPDATE
    on PostgreSQL; SQLite holds the write lock for the transaction), so a concurrent change
    is never overwritten with the old value.
    """
    ciphertexts = [Cast(field.attname, output_field=TextField()) for field in fields]
    seen = stale = 0
    last_pk = None
    while True:
        with transaction.atomic():
            rows = model._base_manager.order_by("pk")
            if write:
                rows = rows.select_for_update()
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.values_list("pk", *ciphertexts)[:batch_size])
            for pk, *tokens in batch:
                updates = {}
                for field, token in zip(fields, tokens, strict=True):
                    if not token or encrypted_with_primary(token):
                        continue
                    try:
                        updates[field.attname] = Value(reencrypt(token), output_field=TextField())
                    except ImproperlyConfigured:
                        raise CommandError(
                            f"{model._meta.label_lower}.{field.name} of row {pk} cannot be read "
                            "with any key in HAVEN_FIELD_KEYS: put back the key it was "
                            "written with."
                        ) from None
                if updates:
                    stale += 1
                    if write:
                        model._base_manager.filter(pk=pk).update(**updates)
        seen += len(batch)
        if len(batch) < batch_size:
            return seen, stale
        last_pk = batch[-1][0]


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key of HAVEN_FIELD_KEYS "
        "(and, with --reindex, recompute the blind indexes for HAVEN_BLIND_INDEX_KEY)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="also recompute the blind indexes (after HAVEN_BLIND_INDEX_KEY changed)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="change nothing; exit 1 if any value still needs an older key",
        )
        parser.add_argument("--batch-size", type=int, default=1000, help="rows per transaction")

    def handle(self, *args, reindex=False, check=False, batch_size=1000, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        rows = 0
        labels = []
        with all_agencies():
            for model, fields in encrypted_fields():
                seen, stale = rotate_model(model, fields, batch_size=batch_size, write=not check)
                labels += [f"{model._meta.label_lower}.{field.name}" for field in fields]
                names = ", ".join(field.name for field in fields)
                verb = "need re-encrypting" if check else "re-encrypted"
                self.stdout.write(
                    f"{model._meta.label_lower} ({names}): {seen} rows, {stale} {verb}"
                )
                rows += stale
            # Encrypted stores apps registered (haven.documents: the files).
            for name, rotate in rotations().items():
                seen, stale = rotate(write=not check, batch_size=batch_size)
                labels.append(name)
                verb = "need re-encrypting" if check else "re-encrypted"
                self.stdout.write(f"{name}: {seen} items, {stale} {verb}")
                rows += stale
        if check:
            if rows:
                raise CommandError(f"{rows} rows still need an older key: run rotate_field_keys.")
            self.stdout.write("Every encrypted value is under the primary key.")
            return
        details: dict = {"rows": rows, "fields": labels}
        if reindex:
            details["reindexed"] = {
                "people.person": reindex_people(batch_size=batch_size),
                "people.personalias": reindex_aliases(batch_size=batch_size),
                "people.contactpoint.value_index": reindex_contact_points(batch_size=batch_size),
            }
            for label, changed in details["reindexed"].items():
                self.stdout.write(f"{label}: {changed} rows reindexed")
        with transaction.atomic():
            audit_record(
                actor=None,
                action=AuditAction.KEYS_ROTATE,
                actor_label=ACTOR_LABEL,
                details=details,
            )
        self.stdout.write(f"Done: {rows} rows re-encrypted under the primary key.")
