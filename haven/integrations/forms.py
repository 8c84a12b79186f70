"""The token form only parses: the rules are in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.integrations.services import NAME_MAX


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What system uses it"),
        max_length=NAME_MAX,
        help_text=_(
            "For example: RMS nightly export (Versaterm). Shown in the list and the access log."
        ),
    )
