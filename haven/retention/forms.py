from django import forms
from django.utils.translation import gettext_lazy as _

from haven.retention.models import RecordKind


class ScheduleForm(forms.Form):
    years = forms.IntegerField(
        label=_("Keep for (years after the trigger date)"), min_value=1, max_value=99
    )
    legal_basis = forms.CharField(
        label=_("Legal basis (the approved records schedule or the rule, with its number)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    active = forms.BooleanField(label=_("Purge under this schedule"), required=False, initial=True)


class HoldForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), required=False, max_length=40)
    person_id = forms.IntegerField(label=_("Or person number"), required=False, min_value=1)
    reason = forms.CharField(label=_("Why it must be kept"), max_length=300)

    def clean(self):
        data = super().clean()
        if bool(data.get("case_number")) == bool(data.get("person_id")):
            raise forms.ValidationError(_("Give a case number or a person number, not both."))
        return data


class ProposeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=RecordKind.choices)


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Why not"), required=False, max_length=300)
