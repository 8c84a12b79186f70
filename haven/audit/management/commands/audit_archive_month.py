from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from haven.audit.archive import ArchiveRefused, audit_archive_month, parse_month
from haven.core.commands import RoutineCommand


class Command(RoutineCommand):
    help = (
        "PostgreSQL: archive one past month of the access log, the oldest kept: seal pending "
        "reads, record each chain's last entry of the month as an archive cut (in the database "
        "and the anchor file), pg_dump the month's partition with a manifest into --out, then "
        "detach and drop it. audit_verify then walks each chain from its cut."
    )

    def add_arguments(self, parser):
        parser.add_argument("month", help="the month to archive, YYYY-MM")
        parser.add_argument("--out", required=True, help="the directory for the dump")
        parser.add_argument(
            "--anchors",
            metavar="FILE",
            help="the anchor file to append the cuts to (default: audit-anchors.jsonl in "
            "HAVEN_AUDIT_ANCHOR_DIR)",
        )

    def handle(self, *args, month, out, anchors=None, **options):
        anchor_file = (
            Path(anchors) if anchors else settings.AUDIT_ANCHOR_DIR / "audit-anchors.jsonl"
        )
        try:
            archived = audit_archive_month(
                month=parse_month(month), out=Path(out), anchor_file=anchor_file
            )
        except ArchiveRefused as exc:
            raise CommandError(f"Not archived: {exc}") from None
        for cut in archived.cuts:
            self.stdout.write(f"chain {cut.chain}: cut after entry {cut.seq}, hash {cut.hash}")
        self.stdout.write(
            f"Archived {archived.partition}: {archived.rows} events in {archived.dump} "
            f"(manifest {archived.manifest.name}); {len(archived.cuts)} cuts appended to "
            f"{anchor_file}. The partition is detached and dropped."
        )
