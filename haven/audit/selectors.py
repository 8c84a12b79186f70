from dataclasses import dataclass

from django.db.models import QuerySet

from haven.audit.chain import event_hash
from haven.audit.models import AuditChainHead, AuditEvent
from haven.core.actor import Actor
from haven.core.roles import Perm


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


def verify_chain(chain: str, *, batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk one chain in order; return how many events were checked and the first break."""
    expected_seq = 1
    prev_hash = ""
    checked = 0
    events = AuditEvent.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=batch_size)
    for event in events:
        if event.seq != expected_seq:
            return checked, ChainBreak(chain, expected_seq, None, "entry missing")
        if event.prev_hash != prev_hash:
            return checked, ChainBreak(
                chain, event.seq, event.pk, "does not follow its predecessor"
            )
        if event_hash(event) != event.hash:
            return checked, ChainBreak(chain, event.seq, event.pk, "content altered")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(chain=chain).first()
    if head is None:
        # Every writer creates the head before its first event: events without one were
        # written around audit_record, or the head was deleted to hide a truncated chain.
        if checked:
            return checked, ChainBreak(chain, checked, None, "chain head missing")
        return checked, None
    if head.seq > checked:
        return checked, ChainBreak(chain, expected_seq, None, "entries missing at the end")
    if head.last_hash != prev_hash:
        return checked, ChainBreak(chain, checked, None, "last entry differs from the chain head")
    return checked, None


def chains() -> list[str]:
    """Every chain that has a head or an event: a chain whose events were all deleted is still
    checked through its head, and one whose head was deleted through its events."""
    heads = AuditChainHead.objects.values_list("chain", flat=True)
    # order_by(): without it the model's ordering would make DISTINCT compare (chain, at, id).
    with_events = AuditEvent.objects.order_by().values_list("chain", flat=True).distinct()
    return sorted(set(heads) | set(with_events))


def chain_head(chain: str) -> AuditChainHead | None:
    return AuditChainHead.objects.filter(chain=chain).first()
