from django import forms


class AgencyForm(forms.Form):
    name = forms.CharField(label="Unit's name", max_length=200)
    slug = forms.CharField(
        label="Short name", max_length=60, help_text="Lower case, digits and hyphens: riverside-pd"
    )
    time_zone = forms.CharField(
        label="Time zone",
        max_length=64,
        initial="America/Chicago",
        help_text="e.g. America/New_York",
    )
    coordinator_email = forms.EmailField(
        label="First coordinator's email", help_text="They get a one-time link to set up the unit."
    )


class SuspendForm(forms.Form):
    reason = forms.CharField(label="Why", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
