import json
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.db.models import Count, QuerySet
from django.utils import timezone

from haven.audit.chain import event_hash, redacted_digest
from haven.audit.models import (
    UNSEALED_MAX_MINUTES,
    AuditAction,
    AuditArchiveCut,
    AuditChainHead,
    AuditEvent,
)
from haven.core.actor import Actor
from haven.core.roles import Perm
from haven.core.scoping import all_agencies


def audit_events_visible_to(actor: Actor) -> QuerySet[AuditEvent]:
    """An auditor's agency's events; anyone else is refused."""
    actor.require(Perm.AUDIT_VIEW)
    return AuditEvent.objects.filter(agency_id=actor.agency.pk)


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    seq: int
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"event id {self.event_id}" if self.event_id else "a missing event"
        return f"chain {self.chain}, entry {self.seq} ({where}): {self.problem}"


def _redaction_problem(event: AuditEvent) -> str:
    """'' when a later audit.redact event of the same chain vouches for what this redacted
    event still holds; else what is wrong."""
    vouching = AuditEvent.objects.filter(
        pk=event.redacted_by, chain=event.chain, action=AuditAction.REDACT, seq__gt=event.seq
    ).first()
    if vouching is None:
        return "redacted, and no redaction event vouches for it"
    if [event.pk, redacted_digest(event)] not in vouching.details.get("events", []):
        return "content altered after its redaction"
    return ""


def _start(chain: str, sealed: QuerySet[AuditEvent]) -> tuple[int, str]:
    """Where a chain's walk starts: (first entry expected, hash it must follow).

    From entry 1, unless the chain's earlier months were archived (audit_archive_month): then
    from its latest archive cut before the earliest entry left (with no entry left, its latest
    cut, so a head beyond it is still a break). An entry missing after the cut is still one."""
    first = sealed.order_by("seq").values_list("seq", flat=True).first()
    cuts = AuditArchiveCut.objects.filter(chain=chain)
    if first is not None:
        cuts = cuts.filter(seq__lt=first)
    cut = cuts.order_by("-seq").first()
    if cut is None:
        return 1, ""
    return cut.seq + 1, cut.hash


def verify_chain(chain: str, *, batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk one chain in order; return how many events were checked and the first break.
    A chain whose first months were archived is walked from its archive cut (_start): a gap
    that no cut explains is still an entry missing. Reads not yet sealed into the chain are
    not walked; one left unsealed for longer than UNSEALED_MAX_MINUTES is a break (the sealing
    worker is down, or it was slipped in)."""
    sealed = AuditEvent.objects.filter(chain=chain, seq__isnull=False)
    expected_seq, prev_hash = _start(chain, sealed)
    checked = 0
    events = sealed.order_by("seq").iterator(chunk_size=batch_size)
    for event in events:
        if event.seq != expected_seq:
            return checked, ChainBreak(chain, expected_seq, None, "entry missing")
        if event.prev_hash != prev_hash:
            return checked, ChainBreak(
                chain, event.seq, event.pk, "does not follow its predecessor"
            )
        problem = _redaction_problem(event) if event.redacted_by else ""
        if problem or (not event.redacted_by and event_hash(event) != event.hash):
            return checked, ChainBreak(chain, event.seq, event.pk, problem or "content altered")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    return checked, _tail_problem(chain, expected_seq - 1, prev_hash)


def _tail_problem(chain: str, last_seq: int, last_hash: str) -> ChainBreak | None:
    """After the walk: a read left unsealed too long, or a head that is not the last entry."""
    stale = timezone.now() - timedelta(minutes=UNSEALED_MAX_MINUTES)
    unsealed = (
        AuditEvent.objects.filter(chain=chain, seq__isnull=True, at__lt=stale)
        .order_by("id")
        .first()
    )
    if unsealed is not None:
        return ChainBreak(
            chain,
            last_seq + 1,
            unsealed.pk,
            f"left unsealed for more than {UNSEALED_MAX_MINUTES} minutes",
        )
    head = AuditChainHead.objects.filter(chain=chain).first()
    if head is None:
        # Every writer creates the head before its first event: events without one were
        # written around audit_record, or the head was deleted to hide a truncated chain.
        if last_seq:
            return ChainBreak(chain, last_seq, None, "chain head missing")
        return None
    if head.seq > last_seq:
        return ChainBreak(chain, last_seq + 1, None, "entries missing at the end")
    if head.last_hash != last_hash:
        return ChainBreak(chain, last_seq, None, "last entry differs from the chain head")
    return None


def chains() -> list[str]:
    """Every chain that has a head or an event: a chain whose events were all deleted is still
    checked through its head, and one whose head was deleted through its events."""
    heads = AuditChainHead.objects.values_list("chain", flat=True)
    # order_by(): without it the model's ordering would make DISTINCT compare (chain, at, id).
    with_events = AuditEvent.objects.order_by().values_list("chain", flat=True).distinct()
    return sorted(set(heads) | set(with_events))


def chain_head(chain: str) -> AuditChainHead | None:
    return AuditChainHead.objects.filter(chain=chain).first()


# The records whose presence proves an agency has written to its log (adding a person and
# opening a case are audited). Named, not imported: the log sits below the apps that hold them.
RECORD_MODELS = ("people.Person", "cases.Case")


def agencies_holding_records() -> dict[int, int]:
    """{agency id: how many people and cases it holds}, for every agency that holds any.

    An agency that holds records has written to the log, so its chain must exist: a missing
    one was deleted.
    """
    held: dict[int, int] = {}
    with all_agencies():
        for label in RECORD_MODELS:
            model = apps.get_model(label)
            rows = model.objects.order_by().values("agency_id").annotate(n=Count("id"))
            for row in rows:
                held[row["agency_id"]] = held.get(row["agency_id"], 0) + row["n"]
    return held


def missing_chains() -> list[str]:
    """Problems no single chain's walk can see: a whole chain (events and head) deleted, or
    the whole log emptied while records exist."""
    held = agencies_holding_records()
    if not held:
        return []
    heads = set(AuditChainHead.objects.values_list("chain", flat=True))
    if not heads and not AuditEvent.objects.exists():
        total = sum(held.values())
        return [f"the access log is empty while {total} people and cases exist"]
    agencies = apps.get_model("agencies.Agency").objects.filter(pk__in=held)
    names = dict(agencies.values_list("pk", "name"))
    problems = []
    chain_names = set(chains())
    for agency_id in sorted(held):
        chain = str(agency_id)
        agency = f"agency {agency_id} ({names.get(agency_id, 'unknown')})"
        if chain not in chain_names:
            problems.append(
                f"{agency} holds {held[agency_id]} people and cases "
                "but has no audit chain: its events and chain head are missing"
            )
        elif chain not in heads:
            problems.append(f"{agency}: chain head missing")
    return problems


@dataclass(frozen=True)
class Anchor:
    """A chain head copied outside the database: the log must always hold this entry. Or,
    with `cut` (the archived month, "YYYY-MM"), an archive cut: the chain's last entry in a
    month archived by audit_archive_month, which the database's cuts must hold as well."""

    chain: str
    seq: int
    hash: str
    at: str = ""
    cut: str = ""

    def as_json(self) -> str:
        row = {"chain": self.chain, "seq": self.seq, "hash": self.hash, "at": self.at}
        if self.cut:
            row["cut"] = self.cut
        return json.dumps(row, sort_keys=True)


def current_anchors(*, at: str = "") -> list[Anchor]:
    """Every chain's head now: what an anchor file records."""
    return [
        Anchor(chain=head.chain, seq=head.seq, hash=head.last_hash, at=at)
        for head in AuditChainHead.objects.order_by("chain")
        if head.seq > 0
    ]


def cut_anchor(cut: AuditArchiveCut) -> Anchor:
    """An archive cut as the anchor file records it."""
    at = cut.at.isoformat(timespec="seconds")
    return Anchor(chain=cut.chain, seq=cut.seq, hash=cut.hash, at=at, cut=f"{cut.month:%Y-%m}")


def parse_anchors(lines) -> list[Anchor]:
    """Read an anchor file (one JSON object a line); a bad line raises ValueError naming it."""
    anchors = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            anchor = Anchor(
                chain=str(row["chain"]),
                seq=int(row["seq"]),
                hash=str(row["hash"]),
                at=str(row.get("at", "")),
                cut=str(row.get("cut", "")),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ValueError(
                f"line {number} is not an anchor "
                '(expected {"chain": ..., "seq": ..., "hash": ...})'
            ) from None
        anchors.append(anchor)
    return anchors


def check_anchors(anchors: list[Anchor], *, chain: str | None = None) -> list[str]:
    """Each anchored head the log no longer holds as it was (same entry, same hash), unless an
    archive cut at or after it says its month was archived; and each archive cut of the
    database that the file does not hold (a cut written into the database alone could hide
    deleted events)."""
    cuts = AuditArchiveCut.objects.order_by("chain", "seq")
    if chain is not None:
        cuts = cuts.filter(chain=chain)
    problems = []
    recorded = {(a.chain, a.seq, a.hash, a.cut) for a in anchors if a.cut}
    archived_to: dict[str, AuditArchiveCut] = {}
    for cut in cuts:
        anchor = cut_anchor(cut)
        if (anchor.chain, anchor.seq, anchor.hash, anchor.cut) not in recorded:
            problems.append(
                f"chain {cut.chain}: the archive cut after entry {cut.seq} ({anchor.cut}) "
                "is not in the anchor file"
            )
        else:
            archived_to[cut.chain] = cut
    for anchor in anchors:
        cut = archived_to.get(anchor.chain)
        event = AuditEvent.objects.filter(chain=anchor.chain, seq=anchor.seq).first()
        if event is None and cut is not None and anchor.seq <= cut.seq:
            # Archived with its month: the dump holds it (its manifest names the cut).
            if anchor.seq == cut.seq and anchor.hash != cut.hash:
                problems.append(
                    f"chain {anchor.chain}: entry {anchor.seq} differs from the archive cut"
                )
            continue
        when = f" (anchored {anchor.at})" if anchor.at else ""
        if event is None:
            problems.append(
                f"chain {anchor.chain}: anchored entry {anchor.seq}{when} is missing from the log"
            )
        elif event.hash != anchor.hash:
            problems.append(
                f"chain {anchor.chain}: entry {anchor.seq}{when} differs from its anchor "
                "(the log was rewritten)"
            )
    return problems
