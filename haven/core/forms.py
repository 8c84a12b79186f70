from dataclasses import fields

from django import forms
from django.core.exceptions import ValidationError


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


def dataclass_from(cls, data: dict):
    """Build a service's input dataclass from a form's cleaned data: the fields the form has,
    the dataclass's defaults for the rest."""
    return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})
