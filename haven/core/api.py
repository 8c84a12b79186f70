"""What every API view shares: the actor check and turning service errors into answers."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import exceptions, permissions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from haven.core.roles import Perm


def exception_handler(exc, context):
    """A service's ValidationError is the caller's mistake: 400 with what to fix, per field."""
    if isinstance(exc, DjangoValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(body, status=400)
    return drf_exception_handler(exc, context)


class AutoSchema(SpectacularAutoSchema):
    """Names schema components after the whole nested path of their serializer, so each view's
    own `OutputSerializer` (one API view per operation) is its own component:
    `CaseDetailApi.OutputSerializer` becomes `CaseDetailOutput`, not a clash on `Output`."""

    def get_serializer_name(self, serializer, direction) -> str:
        parts = type(serializer).__qualname__.split(".")
        if len(parts) == 1:
            return parts[0]
        *outer, last = parts
        return "".join(p.removesuffix("Api").removesuffix("Serializer") for p in outer) + last


def needs(perm: Perm | None = None):
    """A DRF permission class: a signed-in agency member (request.actor), holding `perm`."""

    class HasActorPermission(permissions.BasePermission):
        def has_permission(self, request, view):
            actor = getattr(request._request, "actor", None)
            if actor is None:
                raise (
                    exceptions.NotAuthenticated()
                    if not request.user.is_authenticated
                    else (exceptions.PermissionDenied("You are not an active member of an agency."))
                )
            return perm is None or actor.has(perm)

    HasActorPermission.__name__ = f"Needs_{perm or 'member'}"
    return HasActorPermission
