"""Forms only parse and check the shape of input; the rules live in incidents.services."""

from __future__ import annotations

import json

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext_lazy

from haven.incidents.importer import check_header
from haven.incidents.models import InvestigationStatus
from haven.incidents.profile import ProfileError, available_profiles, load_profile
from haven.incidents.reader import ExportReader, FileError
from haven.incidents.services import REASON_MAX

# A year of a big city's reports is well under 100 MB; a bigger file is a backfill for
# `manage.py import_incidents`, which reads from the server's disk.
MAX_UPLOAD_BYTES = 256 * 1024 * 1024


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


class UploadLimit(FileUploadHandler):
    """Stops reading an upload past the limit, before it fills the disk: Django's own handlers
    keep a big file in a temporary file, however big. Put it first in request.upload_handlers;
    `exceeded` then tells the form why the file is missing."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = MAX_UPLOAD_BYTES
        self.exceeded = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.exceeded = content_length > self.limit + 64 * 1024  # room for the other fields
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.exceeded:
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def profile_choices() -> list[tuple[str, str]]:
    """The shipped profiles (haven/incidents/profiles/), each with what export it reads."""
    return [(name, f"{name}: {load_profile(name).title}") for name in available_profiles()]


class ImportForm(forms.Form):
    # The profile comes first in the form, so it still arrives when an upload is cut short.
    profile = forms.ChoiceField(choices=(), label=gettext_lazy("Import profile"))
    file = forms.FileField(
        label=gettext_lazy("Export file"),
        help_text="CSV or JSON lines, as the profile reads; at most "
        f"{_megabytes(MAX_UPLOAD_BYTES)}.",
    )
    dry_run = forms.BooleanField(
        required=False, label=gettext_lazy("Dry run: show what would change, change nothing")
    )
    strict = forms.BooleanField(
        required=False, label=gettext_lazy("Strict: import nothing if any row is bad")
    )

    def __init__(self, *args, oversized: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].choices = profile_choices()
        self.oversized = oversized
        if oversized:  # the upload was stopped, so there is no file to call missing
            self.fields["file"].required = False

    def clean_file(self):
        if self.oversized:
            raise forms.ValidationError(
                f"The file is larger than {_megabytes(MAX_UPLOAD_BYTES)}: split it, or ask the "
                "administrator to run manage.py import_incidents on it."
            )
        return self.cleaned_data["file"]

    def clean(self):
        data = super().clean()
        upload, name = data.get("file"), data.get("profile")
        if upload is not None and name:
            try:
                check_fits_profile(upload, name)
            except (FileError, ProfileError) as exc:
                self.add_error("file", str(exc))
        return data


def check_fits_profile(upload, profile_name: str) -> None:
    """The import's first check, done before the file is queued, so that a file the profile
    does not fit is refused with nothing written: a CSV must have every column the profile
    reads (the importer's own message), a JSON-lines file must start with a JSON object.
    Raises FileError."""
    profile = load_profile(profile_name)
    stream = upload.file
    stream.seek(0)
    try:
        if profile.format == "csv":
            reader = ExportReader(
                stream, fmt="csv", encoding=profile.encoding, delimiter=profile.delimiter
            )
            reader.release()
            check_header(profile, reader.header or ())
        else:
            first = b""
            for _ in range(10):  # past a few blank lines
                first = stream.readline(1024 * 1024)
                if first.strip():
                    break
            try:
                ok = isinstance(json.loads(first.decode(profile.encoding)), dict)
            except (UnicodeDecodeError, json.JSONDecodeError):
                ok = False
            if not ok:
                raise FileError(
                    f"The first line is not a JSON object: the profile {profile.name!r} reads "
                    "JSON lines (one object per line). Is it the right profile for this export?"
                )
    finally:
        stream.seek(0)


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_MAX,
        required=False,
        label=gettext_lazy("Why not (optional)"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class InvestigationForm(forms.Form):
    """The police investigation status of a case's report, set by a specialist."""

    investigation_status = forms.ChoiceField(
        choices=InvestigationStatus.choices,
        required=False,
        label=gettext_lazy("Investigation status"),
    )
    detective = forms.CharField(
        max_length=100, required=False, label=gettext_lazy("Detective or unit")
    )

    def __init__(self, *args, **kwargs):
        # The case page holds many forms: ids of its own keep labels pointing at this one.
        kwargs.setdefault("auto_id", "inv_%s")
        super().__init__(*args, **kwargs)
