from django import forms

from haven.core.forms import VersionField
from haven.public.texts.steps import SERVICES, TEXT

SERVICE_CHOICES = [(key, TEXT["en"][key]) for key in SERVICES]


class HelpSettingsForm(forms.Form):
    services = forms.MultipleChoiceField(
        choices=SERVICE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Services the page lists",
        help_text="When each is available comes from the service hours and on-call roster.",
    )
    quick_exit_url = forms.CharField(
        max_length=500,
        label="Quick exit goes to",
        help_text="A neutral site that replaces the page when a victim presses Quick exit or "
        "Esc. The default is https://www.google.com/search?q=weather",
    )


class HelpTextForm(forms.Form):
    about = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=4000,
        label="About us",
        help_text="Who you are and what you do, in plain words. Leave blank to show the English.",
    )
    reach = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        label="How to reach us",
        help_text="Address, walk-in times, email. The unit's phone and hotlines are shown "
        "anyway. Leave blank to show the English.",
    )
    version = VersionField()
