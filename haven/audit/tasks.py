"""The access log checks itself every night; a break is logged as an error for the operators
and recorded in the log itself, so the agency's auditor sees it too."""

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from haven.audit.models import AuditAction
from haven.audit.partitions import ensure_months
from haven.audit.selectors import chains, verify_chain
from haven.audit.services import audit_anchor_write, audit_record, audit_seal

logger = logging.getLogger(__name__)


@db_periodic_task(crontab())
def seal_audit_events() -> int:
    """Every minute: seal the reads appended since into their chains (each write to a chain
    seals its pending reads too); returns how many were sealed."""
    return audit_seal()


@db_periodic_task(crontab(hour="3", minute="15"))
def verify_audit_log() -> dict[str, str]:
    """Verify every chain; returns {chain: "intact" or the break} for callers and tests."""
    audit_seal()
    results = {}
    for chain in chains():
        checked, broken = verify_chain(chain)
        results[chain] = "intact" if broken is None else str(broken)
        if broken is not None:
            logger.error("Audit log broken at %s", broken)
        audit_record(
            actor=None,
            action=AuditAction.AUDIT_VERIFY,
            agency_id=int(chain) if chain.isdigit() else None,
            actor_label="nightly verification",
            object_type="audit.auditevent",
            details={"chain": chain, "checked": checked, "intact": broken is None},
        )
    return results


@db_periodic_task(crontab(hour="3", minute="45"))
def anchor_audit_heads() -> int:
    """Append every chain's head to the anchor file outside the database, once a day; returns
    how many heads were anchored. A failure to write is logged as an error for the operators."""
    path = settings.AUDIT_ANCHOR_DIR / "audit-anchors.jsonl"
    try:
        anchors = audit_anchor_write(path=path)
    except OSError:
        logger.exception("Could not write the audit anchors to %s", path)
        raise
    return len(anchors)


@db_periodic_task(crontab(hour="2", minute="50"))
def ensure_audit_months() -> list[str]:
    """PostgreSQL: create the access log's monthly partitions three months ahead, and move
    any events that landed in its DEFAULT partition into their month; returns the partitions
    created. Nothing on SQLite."""
    created = ensure_months(ahead=3)
    for month in created:
        logger.info(
            "Created the access log's partition %s (%d events moved in)", month.name, month.moved
        )
    return [month.name for month in created]
