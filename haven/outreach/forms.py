"""The outreach rule form: parses input for services.outreach_rule_save, nothing more."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.agencies.models import District, Membership
from haven.cases.models import Priority
from haven.core.forms import VersionField
from haven.lib.reference import choices
from haven.outreach.models import MinorVictims, OutreachRule, RouteTo
from haven.protocols.models import ProtocolTemplate


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


class OutreachRuleForm(forms.Form):
    name = forms.CharField(max_length=80, label=_("Name"))
    is_active = forms.BooleanField(required=False, initial=True, label=_("Active"))
    position = forms.IntegerField(
        min_value=0, max_value=999, initial=10, label=_("Order (lower is tried first)")
    )
    nibrs_codes = forms.CharField(
        required=False,
        label=_("NIBRS offense codes"),
        help_text=_("Comma-separated, e.g. 13A, 13B"),
    )
    offense_codes = forms.CharField(
        required=False,
        label=_("Your department's offense codes"),
        help_text=_("Comma-separated; end a code with * to match every code it starts, e.g. 04*"),
    )
    description_contains = forms.CharField(
        required=False,
        label=_("Offense descriptions containing"),
        help_text=_(
            "Comma-separated texts, any case, e.g. DOMESTIC, INTIMATE PARTNER: for exports "
            "with no domestic-violence flag"
        ),
    )
    description_regex = forms.CharField(
        required=False,
        max_length=200,
        label=_("Or offense descriptions matching (a regular expression, any case)"),
        help_text=_(r"For example: DOMESTIC|INTIMATE PARTNER|RESTRAINING ORDER"),
    )
    requires_domestic_violence = forms.BooleanField(
        required=False, label=_("Only reports flagged domestic violence")
    )
    requires_firearm = forms.BooleanField(required=False, label=_("Only reports with a firearm"))
    districts = forms.ModelMultipleChoiceField(
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Only these districts (none chosen: all)"),
    )
    max_report_age_days = forms.IntegerField(
        min_value=1,
        max_value=365,
        initial=14,
        label=_("Skip reports older than (days)"),
        help_text=_("A backfill of old reports should not fill the queue."),
    )
    victimization = forms.ChoiceField(
        choices=choices("pmt", "victimization_types"), label=_("Victimization type of the cases")
    )
    priority = forms.ChoiceField(choices=Priority.choices, label=_("Priority"))
    route = forms.ChoiceField(
        choices=RouteTo.choices, widget=forms.RadioSelect, label=_("Who gets the cases")
    )
    assign_to = forms.ModelChoiceField(
        queryset=Membership.objects.none(), required=False, label=_("The named specialist")
    )
    minors = forms.ChoiceField(
        choices=MinorVictims.choices,
        widget=forms.RadioSelect,
        label=_("When the victim is a minor"),
    )
    first_step = forms.CharField(
        max_length=200,
        required=False,
        label=_("First step (a task opened with each case)"),
        help_text=_("For example: Find and reach the family (next of kin)"),
    )

    protocol = forms.ModelChoiceField(
        queryset=ProtocolTemplate.objects.none(),
        required=False,
        label=_("Protocol each case starts"),
        help_text=_("Its checklist appears on the case (the agency's protocols page lists them)."),
    )

    version = VersionField()

    def __init__(self, *args, districts, caseworkers, protocols=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = districts
        self.fields["assign_to"].queryset = caseworkers
        if protocols is not None:
            self.fields["protocol"].queryset = protocols

    def clean_nibrs_codes(self):
        return _codes(self.cleaned_data["nibrs_codes"])

    def clean_offense_codes(self):
        return _codes(self.cleaned_data["offense_codes"])

    def clean_description_contains(self):
        return _codes(self.cleaned_data["description_contains"])

    @staticmethod
    def initial_for(rule: OutreachRule) -> dict:
        return {
            "name": rule.name,
            "is_active": rule.is_active,
            "position": rule.position,
            "nibrs_codes": ", ".join(rule.nibrs_codes),
            "offense_codes": ", ".join(rule.offense_codes),
            "description_contains": ", ".join(rule.description_contains),
            "description_regex": rule.description_regex,
            "requires_domestic_violence": rule.requires_domestic_violence,
            "requires_firearm": rule.requires_firearm,
            "districts": list(rule.districts.all()),
            "max_report_age_days": rule.max_report_age_days,
            "victimization": rule.victimization,
            "priority": rule.priority,
            "route": rule.route,
            "assign_to": rule.assign_to,
            "minors": rule.minors,
            "first_step": rule.first_step,
            "protocol": rule.protocol,
            "version": rule.version,
        }
