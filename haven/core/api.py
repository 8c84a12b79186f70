"""What every API view shares: the actor check and turning service errors into answers."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import exceptions, permissions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from haven.core.roles import Perm
from haven.core.versions import StaleEdit


def exception_handler(exc, context):
    """A service's ValidationError is the caller's mistake: 400 with what to fix, per field.
    A save over a newer version (`StaleEdit`) is 409, naming the version saved now, so the
    caller reads it again and decides (no update endpoint raises it yet: docs/api-import.md)."""
    if isinstance(exc, StaleEdit):
        return Response({"detail": exc.messages[0], "version": exc.saved_version}, status=409)
    if isinstance(exc, DjangoValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(body, status=400)
    return drf_exception_handler(exc, context)


# The answers every operation may give besides its own, as `exception_handler` and DRF shape
# them: {"detail": "..."} or, for a 400, what to fix per field.
ERROR_BODY = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERROR_ANSWERS = {
    "400": "The request has something to fix (said per field, or in detail)",
    "401": "Not signed in, and no valid token",
    "403": "Signed in, but not allowed (role, agency or a missing second sign-in step)",
    "404": "No such record in your agency (or no such page of a list)",
}


class AutoSchema(SpectacularAutoSchema):
    """Names schema components after the whole nested path of their serializer, so each view's
    own `OutputSerializer` (one API view per operation) is its own component:
    `CaseDetailApi.OutputSerializer` becomes `CaseDetailOutput`, not a clash on `Output`. And
    lists the error answers every operation may give (ERROR_ANSWERS), unless it says its own."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_ANSWERS.items():
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": ERROR_BODY}},
                },
            )
        return responses

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
