from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haven.ops.backup import FILES, BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up Haven's database into a new folder: the database (SQLite's online backup, or "
        "pg_dump's custom format) and manifest.json. Safe while Haven runs. The field keys are "
        "not in it: keep them apart (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="a new (or empty) folder to write into")

    def handle(self, *args, out: str, **options):
        try:
            backup = backup_create(out_dir=Path(out))
        except BackupError as exc:
            raise CommandError(exc.message) from None
        manifest = backup.manifest
        name = FILES[manifest["database"]]
        facts = manifest["files"][name]
        documents = len(manifest["files"]) - 1
        events = sum(chain["events"] for chain in manifest["audit_chains"].values())
        self.stdout.write(
            f"Backed up the {manifest['database']} database to {backup.path / name} "
            f"({facts['bytes']:,} bytes; {events:,} audit events in "
            f"{len(manifest['audit_chains'])} chains), with {documents:,} document files "
            "as stored (encrypted)."
        )
        if manifest["documents_missing"]:
            self.stderr.write(
                self.style.WARNING(
                    f"{len(manifest['documents_missing'])} document files listed in the database "
                    "were not in storage (deleted while the backup ran, or lost): "
                    + ", ".join(manifest["documents_missing"][:5])
                )
            )
        self.stdout.write(
            "The field keys are not in the backup, and it cannot be read without them: keep "
            "HAVEN_FIELD_KEYS and HAVEN_BLIND_INDEX_KEY in your secrets store, apart from "
            f"backups (fingerprints in {backup.path / 'manifest.json'})."
        )
