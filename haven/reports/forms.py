from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haven.core.forms import VersionField
from haven.reports.models import ReportGoals


class DashboardFilterForm(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    district = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    specialist = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    victimization = forms.ChoiceField(required=False)
    funding_source = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, *args, menus: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", "All districts"), *menus["districts"]]
        self.fields["specialist"].choices = [("", "All specialists"), *menus["specialists"]]
        self.fields["victimization"].choices = [("", "All types"), *menus["victimizations"]]
        self.fields["funding_source"].choices = [("", "All sources"), *menus["funding_sources"]]
        for name in ("district", "specialist", "victimization", "funding_source"):
            self.fields[name].widget.attrs["class"] = "usa-select"

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(gettext("The period's start is after its end."))
        return data


class GoalsForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = ReportGoals
        fields = [
            "first_contact_hours",
            "resolution_days",
            "satisfaction_percent",
            "midcase_survey_days",
        ]
        labels = {
            "first_contact_hours": "First completed contact within (hours)",
            "resolution_days": "Case resolved within (days)",
            "satisfaction_percent": "Victims satisfied (percent)",
            "midcase_survey_days": "Also survey open cases this many days after received "
            "(0: only at closure)",
        }


class PmtForm(forms.Form):
    quarter = forms.RegexField(
        regex=r"^(?:FY)?\d{4}Q[1-4]$",
        help_text=_("Federal fiscal year and quarter, e.g. 2026Q3 = April–June 2026."),
        error_messages={"invalid": "Write the quarter like 2026Q3."},
    )
    format = forms.ChoiceField(
        choices=[("xlsx", _("Excel (XLSX)")), ("csv", _("CSV"))],
        widget=forms.Select(attrs={"class": "usa-select"}),
    )


class _SourceChoice(forms.Form):
    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["funding_source"]
        field.choices = [*field.choices[:1], *sources] if not field.required else [*sources]
        field.widget.attrs["class"] = "usa-select"


class PmtFilteredForm(_SourceChoice, PmtForm):
    """The PMT download, optionally restricted to one funding source."""

    funding_source = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All funding sources"))],
        label=_("Funding source"),
    )


class GrantForm(_SourceChoice, PmtForm):
    """The per-grant report: one funding source, one quarter."""

    funding_source = forms.TypedChoiceField(
        coerce=int,
        label=_("Funding source"),
        error_messages={"required": "Choose a funding source."},
    )
