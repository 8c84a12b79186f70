from pathlib import Path

from django.core.management.base import CommandError

from haven.audit.selectors import (
    chain_head,
    chains,
    check_anchors,
    missing_chains,
    parse_anchors,
    verify_chain,
)
from haven.audit.services import audit_seal
from haven.core.commands import RoutineCommand


class Command(RoutineCommand):
    help = (
        "Seal the reads not yet in their chains, then verify the hash chains of the access "
        "log, each from entry 1 or from its archive cut (audit_archive_month). Prints each "
        "chain's length and last hash "
        "(worth keeping outside Haven); exits 1 naming the first broken entry, a missing chain "
        "or head, or (with --anchors) an anchored head the log no longer holds or an archive cut "
        "the anchor file does not hold."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chain", help="check one chain only (an agency id, or 'system')")
        parser.add_argument(
            "--anchors",
            metavar="FILE",
            help="an anchor file written by audit_anchor or the daily task: every head in it "
            "must still be in the log with the same hash",
        )

    def handle(self, *args, chain=None, anchors=None, **options):
        anchored = self._read_anchors(anchors) if anchors else None
        audit_seal()
        names = chains()
        if chain is not None:
            if chain not in names:
                raise CommandError(f"No audit chain named {chain!r}; chains: {', '.join(names)}.")
            names = [chain]
        total = 0
        for name in names:
            checked, broken = verify_chain(name)
            if broken:
                raise CommandError(f"Audit log broken at {broken}.")
            total += checked
            head = chain_head(name)
            last_hash = head.last_hash if head else ""
            self.stdout.write(f"chain {name}: {checked} events, last hash {last_hash}")
        if chain is None:
            problems = missing_chains()
            if problems:
                raise CommandError("Audit log incomplete: " + "; ".join(problems) + ".")
        if anchored is not None:
            if chain is not None:
                anchored = [a for a in anchored if a.chain == chain]
            problems = check_anchors(anchored, chain=chain)
            if problems:
                raise CommandError(
                    "Audit log does not match its anchors: " + "; ".join(problems) + "."
                )
            heads = [a for a in anchored if not a.cut]
            self.stdout.write(f"All {len(heads)} anchored heads are in the log.")
            if len(heads) < len(anchored):
                cuts = len(anchored) - len(heads)
                self.stdout.write(
                    f"All {cuts} archive cuts in the anchor file match the log or its cuts."
                )
        self.stdout.write(f"Audit log intact: {total} events verified.")

    def _read_anchors(self, path: str):
        try:
            with Path(path).open(encoding="utf-8") as lines:
                anchored = parse_anchors(lines)
        except OSError as exc:
            raise CommandError(f"Cannot read the anchor file {path}: {exc.strerror}.") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"The anchor file {path} is not valid: {exc}.") from None
        if not anchored:
            raise CommandError(f"The anchor file {path} holds no anchors.")
        return anchored
