"""The roles and permissions, by the name most of Haven imports them under.

They are defined in haven.core.roles, beside the Actor that checks them (core sits below
agencies: docs/architecture.md). Code in core and audit imports haven.core.roles.
"""

from haven.core.roles import (  # noqa: F401
    CASEWORKER_ROLES,
    INTEGRATION_PERMISSIONS,
    ROLE_PERMISSIONS,
    Perm,
    Role,
)
