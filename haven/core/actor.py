"""Who is acting: every service and selector takes one, so permission and audit never depend
on a request object being around (commands and background tasks act too)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from haven.core.roles import INTEGRATION_PERMISSIONS, ROLE_PERMISSIONS, Perm, Role

if TYPE_CHECKING:
    from haven.agencies.models import Agency, Membership

SYSTEM_ROLE = "system"
INTEGRATION_ROLE = "integration"


@dataclass(frozen=True)
class Actor:
    agency: Agency
    membership: Membership | None = None
    ip: str | None = None
    user_agent: str = ""
    # Set only for the system actor: the command or task acting, e.g. "manage.py demo".
    system_label: str = ""
    # Set only for a records system pushing with an agency API token (haven.integrations):
    # the token's pk. Such an actor has INTEGRATION_PERMISSIONS, nothing more.
    api_token_id: int | None = None

    @classmethod
    def for_membership(cls, membership: Membership, *, ip=None, user_agent="") -> Actor:
        return cls(
            agency=membership.agency,
            membership=membership,
            ip=ip,
            user_agent=user_agent[:300],
        )

    @classmethod
    def system(cls, agency: Agency, label: str) -> Actor:
        """A command or background task acting for an agency: every permission, always audited."""
        return cls(agency=agency, system_label=label)

    @classmethod
    def integration(cls, agency: Agency, *, token_id: int, label: str, ip=None) -> Actor:
        """A records system calling the API with one of the agency's tokens."""
        return cls(agency=agency, system_label=label, api_token_id=token_id, ip=ip)

    @property
    def is_system(self) -> bool:
        return self.membership is None and self.api_token_id is None

    @property
    def is_integration(self) -> bool:
        return self.api_token_id is not None

    @property
    def role(self) -> str:
        if self.is_integration:
            return INTEGRATION_ROLE
        return SYSTEM_ROLE if self.is_system else self.membership.role

    @property
    def user_id(self) -> int | None:
        return None if self.membership is None else self.membership.user_id

    @property
    def label(self) -> str:
        if self.membership is None:
            return self.system_label
        return self.membership.user.get_username()

    def has(self, perm: Perm) -> bool:
        if self.is_integration:
            return perm in INTEGRATION_PERMISSIONS
        if self.is_system:
            return True
        return perm in ROLE_PERMISSIONS.get(self.membership.role, frozenset())

    def require(self, perm: Perm) -> None:
        if not self.has(perm):
            raise PermissionDenied(f"Your role does not allow this ({perm}).")

    def require_own(self, record) -> None:
        """Refuse a record of another agency, even if a caller skipped the access helper."""
        if record.agency_id != self.agency.pk:
            raise PermissionDenied("That record belongs to another agency.")

    @property
    def sees_all_cases(self) -> bool:
        if not self.has(Perm.CASE_VIEW_ALL):
            return False
        return not (self.role == Role.ADVOCATE and self.agency.advocates_see_own_caseload_only)
