"""POST /api/v1/justice/events/: a records or court system pushes court and custody events
with an agency API token (or a coordinator with their session). The same feed rules as the
CSV import (importer.py): all or nothing, idempotent, bad items named by index and field."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from haven.agencies.roles import Perm
from haven.core.api import needs
from haven.integrations.authentication import TokenOrSessionApiView
from haven.justice.importer import COLUMNS, justice_import


class JusticeEventInputSerializer(serializers.Serializer):
    """One event, with the CSV feed's columns as keys (docs/justice.md)."""

    type = serializers.ChoiceField(choices=["court", "custody"])
    kind = serializers.CharField()
    at = serializers.CharField(help_text=_("ISO 8601; without an offset, the agency's time."))


class JusticeBadItemSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text=_("The event's position in `events`, from 1."))
    field = serializers.CharField()
    message = serializers.CharField()


class JusticeImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    obligations = serializers.IntegerField(help_text=_("Rights obligations opened."))
    bad = JusticeBadItemSerializer(many=True)


class JusticeEventImportApi(TokenOrSessionApiView):
    permission_classes = [needs(Perm.JUSTICE_IMPORT)]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="justice_events_import",
        summary="Push court and custody events",
        description=(
            'Body: one event object, or {"events": [...]}. Keys are the CSV feed\'s columns: '
            f"{', '.join(COLUMNS)}. All or nothing: if any event is bad, nothing is recorded "
            "and the answer (422) names each bad item and field. Idempotent by external_id or "
            "(court case number, kind, time)."
        ),
        request={"application/json": JusticeEventInputSerializer(many=True)},
        responses={
            200: OpenApiResponse(JusticeImportResultSerializer, description="Recorded."),
            400: OpenApiResponse(description="Not JSON, or not an object or a list of them."),
            401: OpenApiResponse(description="No token, or a bad or revoked one."),
            403: OpenApiResponse(description="A caller without justice.import."),
            422: OpenApiResponse(JusticeImportResultSerializer, description="Bad events."),
        },
    )
    def post(self, request):
        if not (request.content_type or "").startswith("application/json"):
            return Response(
                {"detail": "Send the events as JSON (Content-Type: application/json)."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = request.data
        items = data.get("events") if isinstance(data, dict) and "events" in data else data
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            return Response(
                {"detail": 'Send one event object, or {"events": [objects]}.'},
                status=status.HTTP_400_BAD_REQUEST,
            )
        result = justice_import(
            actor=request._request.actor,
            rows=list(enumerate(items, start=1)),
            source="api",
        )
        body = {
            "rows": result.rows,
            "created": result.created,
            "changed": result.changed,
            "unchanged": result.unchanged,
            "obligations": result.obligations,
            "bad": [{"item": b.line, "field": b.field, "message": b.message} for b in result.bad],
        }
        if result.bad:
            body["detail"] = f"Nothing recorded: {len(result.bad)} problem(s). Fix and resend."
            return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        return Response(body)
