"""Reads of API tokens: the agency's list for its coordinator, and the look-up by secret that
authenticates a request."""

from __future__ import annotations

from django.db.models import F, QuerySet

from haven.core.actor import Actor
from haven.integrations.models import SECRET_PREFIX, ApiToken
from haven.lib.tokens import token_digest


def api_tokens_for(actor: Actor) -> QuerySet[ApiToken]:
    """The agency's tokens, those in use first, newest first, with who made and revoked them."""
    return (
        ApiToken.objects.filter(agency=actor.agency)
        .select_related("created_by__user", "revoked_by__user")
        .order_by(F("revoked_at").desc(nulls_first=True), "-created_at", "-id")
    )


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The token (revoked or not) whose secret this is, with its agency; None for anything else.

    Read before any scope exists (the secret says which agency), so unscoped on purpose. The
    database compares digests, never secrets: an attacker timing the look-up learns about the
    digest of their guess, not about any real secret.
    """
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    return (
        ApiToken.objects.with_scopes_disabled()
        .select_related("agency")
        .filter(digest=token_digest(secret))
        .first()
    )
