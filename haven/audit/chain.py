"""The hash of one audit event: the only definition, used to write and to verify; and the
digest that stands in for it once a purge has redacted the event's words."""

import hashlib
import json
from datetime import UTC


def _payload(event) -> dict:
    return {
        "chain": event.chain,
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "agency_id": event.agency_id,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "role": event.role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "reason": event.reason,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }


def _digest(payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def event_hash(event) -> str:
    return _digest(_payload(event))


def redacted_digest(event) -> str:
    """What a redacted event still holds (its reason emptied, its details reduced), with its
    own hash: the audit.redact event that vouches for it carries this digest in the chain, so
    changing anything left on the event, or redacting one no purge redacted, is detected."""
    return _digest(_payload(event) | {"hash": event.hash})
