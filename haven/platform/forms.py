from django import forms
from django.utils.translation import gettext_lazy as _


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("Unit's name"), max_length=200)
    slug = forms.CharField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Lower case, digits and hyphens: riverside-pd"),
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        initial="America/Chicago",
        help_text=_("e.g. America/New_York"),
    )
    coordinator_email = forms.EmailField(
        label=_("First coordinator's email"),
        help_text=_("They get a one-time link to set up the unit."),
    )


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
