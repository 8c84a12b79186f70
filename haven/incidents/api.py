"""The incident import over the REST API: a records system pushes its nightly export with an
agency API token (haven.integrations), or a coordinator with their session. Same service, same
rules and audit as `manage.py import_incidents` (docs/api-import.md)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from haven.agencies.roles import Perm
from haven.core.api import needs
from haven.incidents.profile import Profile, ProfileError, available_profiles, load_profile
from haven.incidents.reader import FileError
from haven.incidents.services import incidents_import
from haven.integrations.authentication import TokenOrSessionApiView

# Raw bodies: the export as it is. The profile, not the Content-Type, says CSV or JSON lines.
RAW_TYPES = ("text/csv", "application/x-ndjson", "application/jsonl", "application/octet-stream")
MULTIPART = "multipart/form-data"
CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 1024 * 1024  # past this the body goes to a temporary file
BAD_ROWS_SHOWN = 50
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self):
        limit = settings.IMPORT_MAX_BYTES
        super().__init__(
            f"The file is larger than this server takes ({limit:,} bytes, "
            "HAVEN_IMPORT_MAX_BYTES): push smaller exports, such as one day at a time."
        )


def importable_profiles() -> dict[str, str]:
    """The profiles a request may name: the shipped ones, and the operator's files
    (IMPORT_PROFILES) by their file name without .toml, which win over a shipped one of the
    same name. A request names a profile; it never gives a path."""
    found = {name: name for name in available_profiles()}
    for path in settings.IMPORT_PROFILES:
        found[Path(path).stem] = str(Path(path).with_suffix(".toml"))
    return found


def profile_named(name: str) -> Profile:
    """The profile a request asked for by name. Raises ValidationError naming `profile` for a
    missing or unknown name, ProfileError for a configured profile that does not load."""
    profiles = importable_profiles()
    if not name:
        raise ValidationError({"profile": f"Name the import profile: {', '.join(profiles)}."})
    if name not in profiles:
        raise ValidationError(
            {"profile": f"No import profile named {name[:60]!r}: use one of {', '.join(profiles)}."}
        )
    return load_profile(profiles[name])


def flag(request, name: str) -> bool:
    raw = request.query_params.get(name, "").strip().lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise ValidationError({name: gettext("Use 1 or 0 (true or false).")})


def refuse_oversized(request) -> None:
    """Refuse by the declared length before anything reads the body (for a session, the CSRF
    check would read a multipart upload whole)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.IMPORT_MAX_BYTES:
        raise PayloadTooLarge()


@contextmanager
def spooled_upload(request) -> Iterator[tuple[BinaryIO, str]]:
    """The pushed file as a seekable binary stream (a strict import reads it twice) and its
    name. Copied in chunks to a SpooledTemporaryFile: memory stays flat whatever its size."""
    django_request = request._request
    content_type = django_request.content_type
    if content_type == MULTIPART:
        try:
            upload = django_request.FILES.get("file")
        except MultiPartParserError as exc:
            raise ValidationError({"file": f"The multipart body cannot be read: {exc}"}) from None
        if upload is None:
            raise ValidationError({"file": gettext("Send the export in a form field named file.")})
        file_name = upload.name or ""
        chunks = upload.chunks(CHUNK)
    elif content_type in RAW_TYPES:
        file_name = request.query_params.get("file_name", "")
        chunks = iter(lambda: django_request.read(CHUNK), b"")
    else:
        raise exceptions.UnsupportedMediaType(
            content_type or "none",
            detail=(
                f"Send the export as the body with Content-Type {', '.join(RAW_TYPES[:2])}, "
                f"or as the field file of a {MULTIPART} form (got {content_type or 'none'!r})."
            ),
        )
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        size = 0
        for chunk in chunks:
            size += len(chunk)
            if size > settings.IMPORT_MAX_BYTES:
                raise PayloadTooLarge()
            spool.write(chunk)
        spool.seek(0)
        yield spool, os.path.basename(file_name.replace("\\", "/")).strip() or "request body"


class IncidentImportBadRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("The file's own line number."))
    reason = serializers.CharField(help_text=_("Why, naming columns and codes, never a person."))


class IncidentImportUnmappedSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("The department's offense code."))
    description = serializers.CharField(help_text=_("Its description, as exported."))
    count = serializers.IntegerField(help_text=_("How many offenses of the file had it."))


class IncidentImportResultSerializer(serializers.Serializer):
    run = serializers.IntegerField(
        source="run.pk",
        allow_null=True,
        default=None,
        help_text=_(
            "The import run in the import log; null for a dry run and for a strict push "
            "refused for bad rows, which record nothing."
        ),
    )
    profile = serializers.CharField()
    dry_run = serializers.BooleanField()
    strict = serializers.BooleanField()
    rows = serializers.IntegerField(help_text=_("Rows read."))
    new = serializers.IntegerField(help_text=_("Reports added (for a dry run: that would be)."))
    updated = serializers.IntegerField(help_text=_("Reports corrected in place."))
    unchanged = serializers.IntegerField(help_text=_("Reports already as exported."))
    bad = serializers.IntegerField(source="bad_count", help_text=_("Rows that could not be read."))
    bad_rows = serializers.SerializerMethodField(
        help_text=f"The first {BAD_ROWS_SHOWN} bad rows (all are counted in bad)."
    )
    unmapped_codes = serializers.SerializerMethodField(
        help_text=_(
            "Every offense code the profile gave no NIBRS code (no outreach rule on NIBRS "
            "codes sees those offenses), the most read first."
        )
    )
    linked = serializers.IntegerField(help_text=_("Victims linked to people already known."))
    to_review = serializers.IntegerField(help_text=_("Possible matches left for a specialist."))
    cases_opened = serializers.IntegerField(
        help_text=_("Outreach cases the agency's outreach rules opened (docs/outreach.md).")
    )
    outreach_held = serializers.IntegerField(
        help_text=_("Victims the rules held back: excluded, or waiting for a match decision.")
    )
    would_open = serializers.IntegerField(
        help_text=_("For a dry run: how many outreach cases would open at most.")
    )
    seconds = serializers.FloatField()

    @extend_schema_field(IncidentImportUnmappedSerializer(many=True))
    def get_unmapped_codes(self, result):
        return IncidentImportUnmappedSerializer(result.unmapped_codes(), many=True).data

    @extend_schema_field(IncidentImportBadRowSerializer(many=True))
    def get_bad_rows(self, result):
        return IncidentImportBadRowSerializer(result.bad[:BAD_ROWS_SHOWN], many=True).data


class IncidentImportRefusedSerializer(IncidentImportResultSerializer):
    detail = serializers.CharField(help_text=_("Why nothing was imported."))


class IncidentImportErrorSerializer(serializers.Serializer):
    """A refusal: `detail` for the request as a whole, or the query parameter or form field at
    fault with its messages, as every Haven API names the field to fix."""

    detail = serializers.CharField(required=False)
    profile = serializers.ListField(child=serializers.CharField(), required=False)
    dry_run = serializers.ListField(child=serializers.CharField(), required=False)
    strict = serializers.ListField(child=serializers.CharField(), required=False)
    file = serializers.ListField(child=serializers.CharField(), required=False)


class IncidentImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("The export, as the profile reads it."))


BINARY_BODY = {"type": "string", "format": "binary"}


class IncidentImportApi(TokenOrSessionApiView):
    """Push a records-system export: the same import as `manage.py import_incidents`."""

    permission_classes = [needs(Perm.INCIDENT_IMPORT)]
    # The body is streamed to a temporary file below, never parsed into memory by DRF.
    parser_classes: list = []

    def initial(self, request, *args, **kwargs):
        refuse_oversized(request)
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="incidents_import",
        summary="Push a records-system export",
        description=(
            "Imports a records-system export (CSV or JSON lines, as the profile says) into the "
            "caller's agency: the same rules as `manage.py import_incidents` (idempotent by "
            "report number, bad rows reported by line, dry run and strict). Send the file as "
            "the body, or as the field `file` of a multipart form. Callers: an agency API token "
            "(`Authorization: Bearer hvn_...`) or a signed-in coordinator. See "
            "docs/api-import.md."
        ),
        parameters=[
            OpenApiParameter(
                "profile",
                str,
                required=True,
                description="An import profile by name: chicago, lapd, nibrs, nypd-shootings, "
                "sfpd, or one the operator configured (HAVEN_IMPORT_PROFILES). Never a path.",
            ),
            OpenApiParameter(
                "dry_run", bool, description="Read and compare, change nothing (1 or 0)."
            ),
            OpenApiParameter("strict", bool, description="Import nothing if any row is bad."),
            OpenApiParameter(
                "file_name", str, description="Kept on the import run (raw bodies only)."
            ),
        ],
        request={
            "text/csv": BINARY_BODY,
            "application/x-ndjson": BINARY_BODY,
            MULTIPART: IncidentImportUploadSerializer,
        },
        responses={
            200: OpenApiResponse(IncidentImportResultSerializer, description="Imported."),
            400: OpenApiResponse(
                IncidentImportErrorSerializer,
                description="Unknown profile, or a file the profile cannot read at all: nothing "
                "written. A file that breaks part-way also carries `run` and the counts of the "
                "batches written before the break, which stay.",
            ),
            401: OpenApiResponse(
                IncidentImportErrorSerializer, description="No token, or a bad or revoked one."
            ),
            403: OpenApiResponse(
                IncidentImportErrorSerializer, description="A user without incidents.import."
            ),
            413: OpenApiResponse(
                IncidentImportErrorSerializer, description="Larger than HAVEN_IMPORT_MAX_BYTES."
            ),
            415: OpenApiResponse(IncidentImportErrorSerializer, description="Another body type."),
            422: OpenApiResponse(
                IncidentImportRefusedSerializer,
                description="Strict, and some rows are bad: nothing was imported.",
            ),
        },
    )
    def post(self, request):
        actor = request._request.actor
        profile = profile_named(request.query_params.get("profile", "").strip())
        dry_run, strict = flag(request, "dry_run"), flag(request, "strict")
        with spooled_upload(request) as (stream, file_name):
            result = incidents_import(
                actor=actor,
                profile=profile,
                stream=stream,
                file_name=file_name,
                dry_run=dry_run,
                strict=strict,
            )
        body = IncidentImportResultSerializer(result).data
        if result.strict and result.bad_count:
            body["detail"] = (
                f"Nothing imported: {result.bad_count:,} of {result.rows:,} rows are bad "
                "(strict). Fix them, or push without strict to skip them."
            )
            return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        return Response(body)

    def handle_exception(self, exc):
        # The file or the profile as a whole cannot be used: the caller's to fix. Refused before
        # the first batch (missing columns, another encoding anywhere in the file), nothing was
        # written; a file that breaks part-way (an unreadable CSV line) leaves the batches before
        # it and a failed run, which the answer names with what they wrote.
        if isinstance(exc, FileError | ProfileError):
            body = {"detail": str(exc)}
            partial = getattr(exc, "import_result", None)
            if partial is not None and partial.run is not None:
                body = IncidentImportResultSerializer(partial).data | body
                body["detail"] += (
                    f" Import run {partial.run.pk} failed part-way: what it wrote before stays; "
                    "push the fixed file again to finish (rows already imported are unchanged)."
                )
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)
