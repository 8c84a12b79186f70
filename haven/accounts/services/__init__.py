"""Writes of the accounts app: invitations (`invitations.py`), the team (roles, deactivation:
`team.py`), two-step sign-in and the audit of password changes (`sign_in.py`). Every function
is keyword-only, atomic and audited; the ones a coordinator calls check `agency.configure`
themselves. Callers import them from here (`from haven.accounts import services`).
"""

from haven.accounts.services.invitations import (
    STATE_MESSAGES,
    invitation_accept,
    invitation_create,
    invitation_may_renew,
    invitation_refusal,
    invitation_renew,
    invitation_resend,
    operator_invite,
)
from haven.accounts.services.sign_in import (
    RECOVERY_CODE_COUNT,
    RESET_LIMIT_PER_IP,
    RESET_LIMIT_PER_USER,
    RESET_WINDOW,
    agency_two_factor_require,
    member_two_factor_reset,
    password_change_record,
    password_reset_allowed,
    password_reset_done_record,
    password_reset_record,
    recovery_codes_make,
)
from haven.accounts.services.team import (
    Departure,
    member_deactivate,
    member_district_set,
    member_language_set,
    member_reactivate,
    member_role_change,
    sessions_end,
)

__all__ = [
    "RECOVERY_CODE_COUNT",
    "RESET_LIMIT_PER_IP",
    "RESET_LIMIT_PER_USER",
    "RESET_WINDOW",
    "STATE_MESSAGES",
    "Departure",
    "agency_two_factor_require",
    "invitation_accept",
    "invitation_create",
    "invitation_may_renew",
    "invitation_refusal",
    "invitation_renew",
    "invitation_resend",
    "member_deactivate",
    "member_district_set",
    "member_language_set",
    "member_reactivate",
    "member_role_change",
    "member_two_factor_reset",
    "operator_invite",
    "password_change_record",
    "password_reset_allowed",
    "password_reset_done_record",
    "password_reset_record",
    "recovery_codes_make",
    "sessions_end",
]
