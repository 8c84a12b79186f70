"""Changes to API tokens: make one (its secret shown once) and revoke one. Both are the
coordinator's (agency.configure), audited, and never write the secret anywhere."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.integrations.models import DISPLAY_LENGTH, SECRET_PREFIX, ApiToken
from haven.lib.tokens import new_token

NAME_MAX = ApiToken._meta.get_field("name").max_length


def api_token_create(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Make a token for a system of the actor's agency; returns it and its secret.

    The secret is returned here and nowhere else: only its digest is stored, and neither the
    secret nor the digest goes into the access log. Refused without agency.configure; the name
    (what system uses it) is required.
    """
    actor.require(Perm.AGENCY_CONFIGURE)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": gettext("Say what system uses this token.")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": f"Keep the name to {NAME_MAX} characters."})
    secret, digest = new_token(prefix=SECRET_PREFIX)
    with transaction.atomic():
        token = ApiToken.objects.create(
            agency=actor.agency,
            name=name,
            prefix=secret[:DISPLAY_LENGTH],
            digest=digest,
            created_by=actor.membership,
        )
        audit_record(
            actor=actor,
            action=AuditAction.API_TOKEN_CREATE,
            obj=token,
            details={"name": token.name, "prefix": token.prefix},
        )
    return token, secret


def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a token: from now on it authenticates nothing.

    Refused without agency.configure, for another agency's token, and for a token already
    revoked (by anyone).
    """
    actor.require(Perm.AGENCY_CONFIGURE)
    actor.require_own(token)
    with transaction.atomic():
        # Conditional: of two coordinators revoking at once, the second is told.
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor.membership
        )
        if not revoked:
            raise ValidationError(gettext("This token was already revoked."))
        audit_record(
            actor=actor,
            action=AuditAction.API_TOKEN_REVOKE,
            obj=token,
            details={"name": token.name, "prefix": token.prefix},
        )
    token.refresh_from_db()
    return token
