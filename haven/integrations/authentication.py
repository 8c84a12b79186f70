"""API tokens on the wire: `Authorization: Bearer hvn_...`.

`ApiTokenAuthentication` is never a default authentication class: only the views built on
`TokenOrSessionApiView` (today the incident import and the justice events feed) accept a
token, so a token cannot reach any other route even if a view forgot to check a permission.
A good token becomes `request.actor = Actor.integration(...)`, whose only permissions are
INTEGRATION_PERMISSIONS, and the view runs inside the token's agency scope and time zone, as
ActorMiddleware does for staff.
"""

from __future__ import annotations

from contextlib import ExitStack

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import exceptions
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    get_authorization_header,
)
from rest_framework.permissions import BasePermission
from rest_framework.views import APIView

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.core.middleware import client_ip
from haven.core.scoping import agency_scope
from haven.integrations.models import ApiToken
from haven.integrations.selectors import api_token_for_secret

KEYWORD = b"bearer"
NOT_VALID = "This API token is not valid: check that it was copied whole."
REVOKED = "This API token was revoked: ask your agency's coordinator for a new one."


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticates `Authorization: Bearer <secret>`; without such a header it steps aside
    (returns None) so that session authentication can try."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        ip = client_ip(request._request)
        if len(parts) != 2:
            self._refuse(ip, NOT_VALID, reason="malformed")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            self._refuse(ip, NOT_VALID, reason="malformed")
        token = api_token_for_secret(secret)
        if token is None:
            self._refuse(ip, NOT_VALID, reason="unknown")
        if token.revoked_at is not None or not _agency_active(token):
            self._refuse(ip, REVOKED, reason="revoked", token=token)
        # Conditional, so a token revoked while this request was on its way is refused.
        used = (
            ApiToken.objects.with_scopes_disabled()
            .filter(pk=token.pk, revoked_at__isnull=True)
            .update(last_used_at=timezone.now(), last_used_ip=ip)
        )
        if not used:
            self._refuse(ip, REVOKED, reason="revoked", token=token)
        request._request.actor = Actor.integration(
            token.agency, token_id=token.pk, label=token.actor_label, ip=ip
        )
        # No user signs in: the token stands for a system. Permission comes from the actor.
        return AnonymousUser(), token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="haven"'

    @staticmethod
    def _refuse(ip, message: str, *, reason: str, token: ApiToken | None = None):
        """Audit the refusal, then answer 401. An unknown token's agency is unknown: its event
        goes on the system chain. A revoked one goes on its agency's chain, so the agency's
        auditors see that something still uses it. Never the secret, nor any part of it."""
        audit_record(
            actor=None,
            action=AuditAction.API_TOKEN_REFUSED,
            obj=token,
            agency_id=token.agency_id if token else None,
            actor_label=token.actor_label if token else "unknown API token",
            ip=ip,
            details={"reason": reason},
        )
        raise exceptions.AuthenticationFailed(message)


def _agency_active(token: ApiToken) -> bool:
    """A token never outlives its agency's access to Haven: a suspended agency's tokens are
    refused (haven.platform), and work again when it is reactivated."""
    return token.agency.is_active


class TokenOrSessionApiView(APIView):
    """An API view that a records system may call with an agency token, and staff with their
    session as on every other route. Permissions still come from `needs(perm)`."""

    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as self._scope:
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        actor = getattr(request._request, "actor", None)
        if actor is not None and actor.is_integration:
            # A session request already runs in its agency's scope (ActorMiddleware).
            self._scope.enter_context(agency_scope(actor.agency))
            self._scope.enter_context(timezone.override(actor.agency.tz))


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token in the OpenAPI schema (drf-spectacular finds it by target class)."""

    target_class = ApiTokenAuthentication
    name = "agencyApiToken"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(
            header_name="AUTHORIZATION", token_prefix="Bearer"
        )
        scheme["description"] = (
            "An agency API token (`hvn_...`), made by a coordinator at /agency/api-tokens/. "
            "It may push records-system exports and nothing else."
        )
        return scheme


class SignedInOrApiToken(BasePermission):
    """Staff signed in (second step done, a membership) or a records system with a valid agency
    API token: both leave an actor on the request. Used for the API schema (/api/schema/)."""

    def has_permission(self, request, view) -> bool:
        return getattr(request._request, "actor", None) is not None
