import zoneinfo

from django import forms

from haven.agencies.models import District
from haven.core.forms import VersionField

US_ZONES = sorted(
    z
    for z in zoneinfo.available_timezones()
    if z.startswith(("America/", "Pacific/Honolulu", "US/"))
)


class AgencySettingsForm(forms.Form):
    time_zone = forms.ChoiceField(choices=[(z, z) for z in US_ZONES], label="Time zone")
    first_contact_goal_hours = forms.IntegerField(
        min_value=1,
        label="First-contact goal (hours)",
        help_text="The outreach queue's clock turns red after this.",
    )
    advocates_see_own_caseload_only = forms.BooleanField(
        required=False, label="Advocates see only their own cases (and the unassigned queue)"
    )
    closure_review_required = forms.BooleanField(
        required=False, label="A supervisor reviews each case an advocate closes"
    )
    dv_hotline_name = forms.CharField(
        max_length=100, required=False, label="Domestic violence hotline: name"
    )
    dv_hotline_phone = forms.CharField(
        max_length=32,
        required=False,
        label="Domestic violence hotline: number",
        help_text="The local hotline officers call from the scene, e.g. (877) 863-6338.",
    )
    dv_hotline_hours = forms.CharField(
        max_length=100,
        required=False,
        label="Domestic violence hotline: hours",
        help_text="e.g. 24 hours",
    )
    state_hotline_name = forms.CharField(
        max_length=100, required=False, label="State hotline: name"
    )
    state_hotline_phone = forms.CharField(
        max_length=32, required=False, label="State hotline: number"
    )
    state_hotline_hours = forms.CharField(
        max_length=100, required=False, label="State hotline: hours"
    )
    version = VersionField()


class DistrictForm(forms.Form):
    code = forms.CharField(
        max_length=20, label="Code", help_text="As the police reports write it, e.g. 011"
    )
    name = forms.CharField(max_length=100, label="Name")


class MemberDistrictForm(forms.Form):
    district = forms.ModelChoiceField(
        queryset=District.objects.none(),
        required=False,
        empty_label="No district",
        widget=forms.Select(attrs={"class": "usa-select"}),
    )

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
