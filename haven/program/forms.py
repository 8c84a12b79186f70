from django import forms
from django.utils.translation import gettext_lazy as _

from haven.agencies.models import Membership
from haven.cases.models import Case
from haven.core.forms import VersionField
from haven.funding.models import FundingSource
from haven.partners.models import Organization
from haven.program.models import ActivityKind, Audience, VolunteerKind

DATE = forms.DateInput(attrs={"type": "date"})


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("What it was"), choices=ActivityKind.choices)
    topic = forms.CharField(label=_("Topic or title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    hours = forms.DecimalField(
        label=_("How long it lasted (hours)"), min_value=0, max_digits=5, decimal_places=2
    )
    time_spent = forms.DecimalField(
        label=_("Staff time spent, preparation and travel included (hours)"),
        help_text=_("Leave empty when it is the same as how long it lasted."),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
    )
    led_by = forms.ModelChoiceField(label=_("Led by"), queryset=Membership.objects.none())
    audience = forms.ChoiceField(
        label=_("Audience (trainings)"), choices=[("", "—")] + Audience.choices, required=False
    )
    attendees = forms.IntegerField(label=_("Attendees"), min_value=0, required=False)
    materials = forms.CharField(
        label=_("Materials (titles or links, one a line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners present"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    funding_source = forms.ModelChoiceField(
        label=_("Paid for by (funding source)"),
        queryset=FundingSource.objects.none(),
        required=False,
    )
    cases = forms.CharField(
        label=_("Cases discussed (case reviews: case numbers, separated by commas)"),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["led_by"].queryset = (
            Membership.objects.filter(agency=actor.agency, is_active=True)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        self.fields["led_by"].label_from_instance = lambda m: m.display_name
        self.fields["funding_source"].queryset = FundingSource.objects.filter(
            agency=actor.agency
        ).order_by("name")
        self.fields["partners"].queryset = Organization.objects.filter(
            agency=actor.agency
        ).order_by("name")

    def clean_cases(self) -> tuple[Case, ...]:
        numbers = [n.strip() for n in self.cleaned_data["cases"].split(",") if n.strip()]
        found = {
            c.number: c
            for c in Case.objects.filter(
                agency=self.actor.agency, number__in=numbers
            ).select_related("primary_victim")
        }
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(
                f"No case numbered {', '.join(missing)}: check the numbers on the case pages."
            )
        return tuple(found[n] for n in dict.fromkeys(numbers))

    def clean_partners(self):
        return tuple(self.cleaned_data["partners"])


class ActivityFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "All")] + ActivityKind.choices, required=False
    )
    audience = forms.ChoiceField(
        label=_("Audience"), choices=[("", "All")] + Audience.choices, required=False
    )


class VolunteerProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Volunteer or intern"), choices=VolunteerKind.choices)
    started_on = forms.DateField(label=_("Started on"), required=False, widget=DATE)
    trained_on = forms.DateField(label=_("Training completed on"), required=False, widget=DATE)
    background_checked_on = forms.DateField(
        label=_("Background check cleared on"), required=False, widget=DATE
    )
    version = VersionField()


class HoursForm(forms.Form):
    worked_on = forms.DateField(label=_("Day"), widget=DATE)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=5, decimal_places=2)
    case = forms.CharField(
        label=_("Case number (leave empty for hours off cases)"), required=False, max_length=20
    )
    what = forms.CharField(label=_("What you did"), max_length=200, required=False)
