from dataclasses import fields
from datetime import UTC

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class DateTimeLocalInput(forms.DateTimeInput):
    """A native date-and-time picker; the value is read in the agency's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in the agency's zone. In the hour that repeats when clocks fall
    back it is the first occurrence: Django's own field refuses it as ambiguous, so a contact
    made at 1:30 AM that night could not be logged at all. A time the clock skipped when it
    sprang forward never happened and is still refused, naming the zone."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "ambiguous_timezone":
                raise
            refusal = error
        zone = timezone.get_current_timezone()
        with timezone.override(UTC):  # parse the wall-clock time without the zone's check
            wall = super().to_python(value).replace(tzinfo=None)
        # In UTC: a local time in the fold compares unequal to every other instant (PEP 495).
        instant = wall.replace(tzinfo=zone).astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) != wall:
            raise refusal  # in the gap: 2:30 on the night the clock jumps from 2:00 to 3:00
        return instant


def dataclass_from(cls, data: dict):
    """Build a service's input dataclass from a form's cleaned data: the fields the form has,
    the dataclass's defaults for the rest."""
    return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


class VersionField(forms.IntegerField):
    """The version of the record the form was loaded from (hidden), so a save over a newer one
    is refused (haven.core.versions). Optional: a post without it is checked against the
    version read when the post arrived."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)
