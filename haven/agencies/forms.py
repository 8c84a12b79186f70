import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.agencies.models import District
from haven.core.forms import VersionField

US_ZONES = sorted(
    z
    for z in zoneinfo.available_timezones()
    if z.startswith(("America/", "Pacific/Honolulu", "US/"))
)


class AgencySettingsForm(forms.Form):
    time_zone = forms.ChoiceField(choices=[(z, z) for z in US_ZONES], label=_("Time zone"))
    first_contact_goal_hours = forms.IntegerField(
        min_value=1,
        label=_("First-contact goal (hours)"),
        help_text=_("The outreach queue's clock turns red after this."),
    )
    advocates_see_own_caseload_only = forms.BooleanField(
        required=False, label=_("Advocates see only their own cases (and the unassigned queue)")
    )
    closure_review_required = forms.BooleanField(
        required=False, label=_("A supervisor reviews each case an advocate closes")
    )
    dv_hotline_name = forms.CharField(
        max_length=100, required=False, label=_("Domestic violence hotline: name")
    )
    dv_hotline_phone = forms.CharField(
        max_length=32,
        required=False,
        label=_("Domestic violence hotline: number"),
        help_text=_("The local hotline officers call from the scene, e.g. (877) 863-6338."),
    )
    dv_hotline_hours = forms.CharField(
        max_length=100,
        required=False,
        label=_("Domestic violence hotline: hours"),
        help_text=_("e.g. 24 hours"),
    )
    state_hotline_name = forms.CharField(
        max_length=100, required=False, label=_("State hotline: name")
    )
    state_hotline_phone = forms.CharField(
        max_length=32, required=False, label=_("State hotline: number")
    )
    state_hotline_hours = forms.CharField(
        max_length=100, required=False, label=_("State hotline: hours")
    )
    version = VersionField()


class DistrictForm(forms.Form):
    code = forms.CharField(
        max_length=20, label=_("Code"), help_text=_("As the police reports write it, e.g. 011")
    )
    name = forms.CharField(max_length=100, label=_("Name"))


class MemberDistrictForm(forms.Form):
    district = forms.ModelChoiceField(
        queryset=District.objects.none(),
        required=False,
        empty_label=_("No district"),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )

    def __init__(self, *args, districts, choices=None, **kwargs):
        """`choices`: the districts already read for another member's form (the settings page
        shows one per member; each would read them again)."""
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        if choices is not None:
            self.fields["district"].choices = choices
