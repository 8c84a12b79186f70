from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haven.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore Haven's database from a folder written by `manage.py backup`, then verify the "
        "access log. Stop the web server and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup folder")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace everything in a database that already holds tables",
        )

    def handle(self, *args, source: str, replace: bool, **options):
        try:
            restored = backup_restore(source=Path(source), replace=replace)
        except BackupError as exc:
            raise CommandError(exc.message) from None
        manifest = restored.manifest
        self.stdout.write(
            f"Restored the {manifest['database']} backup made {manifest['created_at']} "
            f"by Haven {manifest['haven_version']}."
        )
        self.stdout.write(
            f"Access log verified: {restored.events_verified:,} events in "
            f"{restored.chains} chains, each ending where the backup's manifest says."
        )
        self.stdout.write(f"Document files put back in storage: {restored.document_files:,}.")
        if restored.missing_migrations:
            self.stdout.write(
                f"The backup is from an older Haven: run `manage.py migrate` to apply "
                f"{len(restored.missing_migrations)} newer migrations."
            )
        self.stdout.write(
            "The field keys are kept apart from backups and are needed to read this one: "
            "HAVEN_FIELD_KEYS must hold the keys it was made with (fingerprints "
            f"{', '.join(manifest.get('field_keys', []))}), and HAVEN_BLIND_INDEX_KEY the same "
            "key, or encrypted notes and contact points cannot be read and searches find nothing."
        )
        if not restored.keys_present or restored.sample_readable is False:
            self.stderr.write(
                self.style.WARNING(
                    "The field keys Haven is set to use are not the ones this backup was made "
                    "with: set HAVEN_FIELD_KEYS to them before starting Haven."
                )
            )
        elif restored.sample_readable:
            self.stdout.write("The configured field keys read the restored encrypted fields.")
