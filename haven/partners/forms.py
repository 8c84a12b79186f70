"""The directory's forms: they only parse; the rules live in partners.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.forms import VersionField
from haven.partners import needs
from haven.partners.models import (
    WEEKDAY_CODES,
    WEEKDAY_NAMES,
    LocationType,
    RenewalStatus,
    ServiceStatus,
)
from haven.people.models import LANGUAGES

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(forms.Form):
    need = forms.ChoiceField(
        choices=[("", "Any need")] + needs.choices(), required=False, label=_("Need")
    )
    language = forms.ChoiceField(
        choices=[("", "Any language")] + LANGUAGES, required=False, label=_("Language")
    )
    place = forms.CharField(
        max_length=100, required=False, label=_("City, ZIP code or area"), strip=True
    )
    text = forms.CharField(max_length=200, required=False, label=_("Words"), strip=True)


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=200)
    alternate_name = forms.CharField(max_length=200, required=False, label=_("Also known as"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    email = forms.EmailField(required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    phone = forms.CharField(max_length=40, required=False, label=_("Main phone"))
    is_active = forms.BooleanField(required=False, initial=True, label=_("Active partner"))
    list_on_public_page = forms.BooleanField(
        required=False,
        label=_("List on our public help page"),
        help_text=_("Victims see its name, description, main phone and website there."),
    )
    version = VersionField()


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace(";", "\n").splitlines() if line.strip()]


class ServiceForm(forms.Form):
    name = forms.CharField(max_length=200)
    alternate_name = forms.CharField(max_length=200, required=False, label=_("Also known as"))
    status = forms.ChoiceField(choices=ServiceStatus.choices, initial=ServiceStatus.ACTIVE)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    needs = forms.MultipleChoiceField(
        choices=needs.choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Needs it meets"),
    )
    languages = forms.MultipleChoiceField(
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Languages spoken (without an interpreter)"),
    )
    other_languages = forms.CharField(
        max_length=100,
        required=False,
        label=_("Other languages"),
        help_text=_("ISO 639 codes separated by commas (e.g. hi, so, yue)."),
    )
    interpretation_services = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Interpretation")
    )
    eligibility_description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Who it is for")
    )
    minimum_age = forms.IntegerField(min_value=0, max_value=130, required=False)
    maximum_age = forms.IntegerField(min_value=0, max_value=130, required=False)
    fees_description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Fees")
    )
    application_process = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("How to refer")
    )
    areas = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Service areas"),
        help_text=_("One per line: a city, a county, ZIP codes."),
    )
    locations = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("Offered at")
    )
    url = forms.URLField(required=False, assume_scheme="https", label=_("Web page"))
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False, label=_("Phone for this service"))
    version = VersionField()

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locations"].queryset = locations

    def clean(self):
        data = super().clean()
        others = [c.strip() for c in (data.get("other_languages") or "").split(",") if c.strip()]
        data["all_languages"] = list(data.get("languages") or []) + others
        data["area_list"] = _lines(data.get("areas") or "")
        return data


class LocationForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    location_type = forms.ChoiceField(choices=LocationType.choices, label=_("Kind"))
    address_1 = forms.CharField(max_length=200, required=False, label=_("Street address"))
    address_2 = forms.CharField(max_length=200, required=False, label=_("Suite, floor"))
    city = forms.CharField(max_length=100, required=False)
    state_province = forms.CharField(max_length=100, required=False, label=_("State"))
    postal_code = forms.CharField(max_length=20, required=False, label=_("ZIP code"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    transportation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Getting there")
    )
    url = forms.URLField(required=False, assume_scheme="https", label=_("Web address (online)"))
    version = VersionField()


class ScheduleForm(forms.Form):
    prefix = "hours"
    days = forms.MultipleChoiceField(
        choices=[(d, WEEKDAY_NAMES[d]) for d in WEEKDAY_CODES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opens_at = forms.TimeField(required=False, widget=TIME, label=_("Opens"))
    closes_at = forms.TimeField(required=False, widget=TIME, label=_("Closes"))
    description = forms.CharField(
        max_length=300, required=False, label=_("Notes"), help_text=_("e.g. 24 hours, every day")
    )


class ContactForm(forms.Form):
    prefix = "contact"
    name = forms.CharField(max_length=200)
    title = forms.CharField(max_length=200, required=False, label=_("Job title"))
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    service = forms.ModelChoiceField(
        queryset=None, required=False, empty_label=_("All the organization's services")
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services


class MouForm(forms.Form):
    title = forms.CharField(max_length=200)
    starts_on = forms.DateField(widget=DATE, label=_("In force from"))
    ends_on = forms.DateField(widget=DATE, label=_("Until (included)"))
    services = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Services covered (none ticked: all)"),
    )
    scope = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("What it covers")
    )
    data_exchange = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Data that may be exchanged"),
        help_text=_("In principle: each disclosure still needs the victim's written consent."),
    )
    signed_on = forms.DateField(widget=DATE, required=False)
    signed_by_agency = forms.CharField(max_length=200, required=False, label=_("Signed for us by"))
    signed_by_partner = forms.CharField(
        max_length=200, required=False, label=_("Signed for the partner by")
    )
    renewal_status = forms.ChoiceField(choices=RenewalStatus.choices, label=_("Renewal"))
    document_reference = forms.CharField(
        max_length=300,
        required=False,
        label=_("Signed document"),
        help_text=_("Where it is kept: a file number, a records-system path or a link."),
    )
    version = VersionField()

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services


class SettingsForm(forms.Form):
    lapsing_days = forms.IntegerField(
        min_value=15,
        max_value=365,
        label=_("Days before its end an MOU counts as lapsing"),
        help_text=_("The first reminder goes out then; the second 14 days before the end."),
    )


class ImportForm(forms.Form):
    package = forms.FileField(label=_("HSDS data package (.zip)"))
