from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from haven.audit.services import audit_anchor_write
from haven.core.commands import RoutineCommand


class Command(RoutineCommand):
    help = (
        "Append every audit chain's head (chain, entry, hash) to an anchor file kept outside "
        "the database; `audit_verify --anchors FILE` later checks the log still holds them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            help="the anchor file to append to (default: audit-anchors.jsonl in "
            "HAVEN_AUDIT_ANCHOR_DIR)",
        )

    def handle(self, *args, out=None, **options):
        path = Path(out) if out else settings.AUDIT_ANCHOR_DIR / "audit-anchors.jsonl"
        if path.is_dir():
            raise CommandError(f"{path} is a directory: give a file to append the anchors to.")
        try:
            anchors = audit_anchor_write(path=path)
        except OSError as exc:
            raise CommandError(f"Cannot write the anchor file {path}: {exc.strerror}.") from None
        for anchor in anchors:
            self.stdout.write(f"chain {anchor.chain}: entry {anchor.seq}, hash {anchor.hash}")
        self.stdout.write(f"Anchored {len(anchors)} chain heads in {path}.")
