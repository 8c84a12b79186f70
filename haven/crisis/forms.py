"""The crisis forms: they parse and check the shape of input; the rules are in services.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.agencies.models import District, Membership
from haven.assistance import catalog
from haven.core.forms import DateTimeLocalInput, LocalDateTimeField
from haven.crisis.models import ContactKind, Outcome, Place, RequestedBy
from haven.crisis.services import DETAIL_LIMIT, NOTE_LIMIT, REFERRALS
from haven.lib.reference import choices


def _optional_time(label: str) -> LocalDateTimeField:
    return LocalDateTimeField(label=label, required=False, widget=DateTimeLocalInput())


class CallOutForm(forms.Form):
    requested_by = forms.ChoiceField(
        choices=RequestedBy.choices, widget=forms.RadioSelect, label=_("Who asked")
    )
    requester = forms.CharField(
        max_length=120,
        required=False,
        label=_("Their name or unit"),
        help_text=_("An officer's name and district, the hospital and ward: how to call back."),
    )
    requested_at = LocalDateTimeField(label=_("Requested at"), widget=DateTimeLocalInput())
    place = forms.ChoiceField(choices=Place.choices, widget=forms.RadioSelect, label=_("Where"))
    place_detail = forms.CharField(
        max_length=DETAIL_LIMIT,
        required=False,
        label=_("Address or place"),
        widget=forms.TextInput({"autocomplete": "off"}),
    )
    district = forms.ModelChoiceField(queryset=District.objects.none(), required=False)
    case_number = forms.CharField(
        max_length=20,
        required=False,
        label=_("Case number"),
        help_text=_("If the victim already has a case. Otherwise open one from the call-out."),
    )
    responders = forms.ModelMultipleChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Who responded"),
    )
    dispatched_at = _optional_time("Dispatched at")
    arrived_at = _optional_time("Arrived at")
    cleared_at = _optional_time("Cleared at")

    def __init__(self, *args, districts, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["responders"].queryset = caseworkers
        self.fields["responders"].label_from_instance = lambda m: m.display_name
        if not self.is_bound:
            self.initial["requested_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, label=_("How it ended"))
    note = forms.CharField(
        max_length=NOTE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Note (what was done, what is next)"),
    )


class CaseLinkForm(forms.Form):
    case_number = forms.CharField(max_length=20, label=_("Case number"))


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=NOTE_LIMIT, required=False, label=_("Why it was called off")
    )


class AnonymousContactForm(forms.Form):
    kind = forms.ChoiceField(choices=ContactKind.choices, widget=forms.RadioSelect)
    contact_date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    duration_minutes = forms.IntegerField(
        label=_("How long (minutes)"),
        min_value=1,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    victimization = forms.ChoiceField(
        choices=[("", "Not said")] + choices("pmt", "victimization_types"),
        required=False,
        label=_("What happened to them (if they said)"),
    )
    services = forms.MultipleChoiceField(
        choices=catalog.grouped_choices(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Services given"),
    )
    referral = forms.ChoiceField(
        choices=list(REFERRALS.items()), widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["contact_date"] = timezone.localdate()
            self.initial["referral"] = ""
