"""Forms only parse input; the rules live in justice.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.forms import DateTimeLocalInput, LocalDateTimeField, VersionField
from haven.justice.models import (
    CourtCase,
    CourtEventKind,
    CustodyEventKind,
    HonoredHow,
)


class CourtCaseForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = CourtCase
        fields = [
            "court",
            "level",
            "number",
            "charges",
            "defendant_name",
            "prosecutor_name",
            "prosecutor_phone",
            "prosecutor_email",
            "status",
        ]
        widgets = {"charges": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"charges": "One a line: statute and description."}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "cc_%s")
        super().__init__(*args, **kwargs)


class CourtEventForm(forms.Form):
    court_case = forms.ModelChoiceField(queryset=CourtCase.objects.none(), label=_("Court case"))
    kind = forms.ChoiceField(choices=CourtEventKind.choices)
    scheduled_at = LocalDateTimeField(label=_("When"), widget=DateTimeLocalInput())
    courthouse = forms.CharField(max_length=200, required=False)
    courtroom = forms.CharField(max_length=60, required=False)

    def __init__(self, *args, court_cases=(), **kwargs):
        kwargs.setdefault("auto_id", "ce_%s")
        super().__init__(*args, **kwargs)
        self.fields["court_case"].queryset = CourtCase.objects.filter(
            pk__in=[c.pk for c in court_cases]
        )


class MoveForm(forms.Form):
    scheduled_at = LocalDateTimeField(label=_("New date and time"), widget=DateTimeLocalInput())
    courtroom = forms.CharField(max_length=60, required=False)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False)


class CustodyEventForm(forms.Form):
    kind = forms.ChoiceField(choices=CustodyEventKind.choices)
    occurred_at = LocalDateTimeField(label=_("When"), widget=DateTimeLocalInput())
    conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    facility = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "cu_%s")
        super().__init__(*args, **kwargs)


class HonorForm(forms.Form):
    how = forms.ChoiceField(choices=HonoredHow.choices)
    note = forms.CharField(max_length=300, required=False)


class WaiveForm(forms.Form):
    reason = forms.CharField(max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(help_text=_("A CSV feed with the columns in the guide."))


class SettingsForm(forms.Form):
    illinois = forms.BooleanField(label=_("Illinois rights (725 ILCS 120)"), required=False)
    federal_cvra = forms.BooleanField(
        label=_("Federal CVRA (18 U.S.C. 3771), for court cases marked federal"), required=False
    )
    version = VersionField()
