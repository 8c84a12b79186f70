"""Audit of what a person does for themselves before or outside an agency's session (accepting
an invitation, recovery codes, password changes)."""

from __future__ import annotations

from haven.accounts.selectors import memberships_of
from haven.audit.services import audit_record


def audit_self(user, action, *, agency_id=None, ip=None, obj=None, details=None):
    """An event about a person acting for themselves before or outside an agency's session."""
    if agency_id is None:
        memberships = memberships_of(user)
        agency_id = memberships[0].agency_id if memberships else None
    audit_record(
        actor=None,
        action=action,
        agency_id=agency_id,
        actor_label=user.get_username(),
        ip=ip,
        obj=obj,
        details=details,
    )
