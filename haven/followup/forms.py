"""Forms only parse input; the rules (cadences, times, closed cases) live in followup.services."""

from datetime import timedelta

from django import forms
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from haven.agencies.models import Membership
from haven.cases.models import Contact, Priority
from haven.core.forms import DateTimeLocalInput, VersionField
from haven.followup.models import CadenceUnit, FollowUpKind, FollowUpOutcome
from haven.lib.reference import choices


class TimeInput(forms.TimeInput):
    """A native time picker; the value is a wall-clock time in the agency's zone."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PlanForm(forms.Form):
    unit = forms.ChoiceField(label=_("How often"), choices=CadenceUnit.choices)
    every = forms.IntegerField(
        label=_("Every how many"),
        min_value=1,
        max_value=90,
        initial=1,
        required=False,
        help_text=_("Days, weeks or months, as chosen above (not used for weekly, then monthly)."),
    )
    time_of_day = forms.TimeField(label=_("At"), widget=TimeInput(), required=False)
    first_on = forms.DateField(
        label=_("First check-in on"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: one step from today."),
    )
    version = VersionField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "plan_%s")
        super().__init__(*args, **kwargs)

    def clean_every(self):
        return self.cleaned_data["every"] or 1


def blank_plan_form(case, data=None) -> PlanForm:
    """The cadence form for a case: its plan's cadence and time, else the cadence of the rule
    that matches it, else weekly; at the agency's default time."""
    from haven.followup.selectors import case_followup
    from haven.followup.services import followup_settings, matching_rule

    data = data or case_followup(case)
    source = data.plan if data.plan and data.plan.unit else None
    if data.plan is None:
        source = data.rule or matching_rule(case)  # the section reads it only when it shows it
    initial = {"unit": "weeks", "every": 1}
    if source is not None:
        initial |= {"unit": source.unit, "every": source.every}
    initial["time_of_day"] = (
        data.plan.time_of_day if data.plan else followup_settings(case.agency).default_time
    )
    if data.plan:
        initial["version"] = data.plan.version
    return PlanForm(initial=initial)


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What"), choices=FollowUpKind.choices, widget=forms.RadioSelect, initial="check_in"
    )
    due_at = forms.DateTimeField(label=_("When"), widget=DateTimeLocalInput())
    location = forms.CharField(
        label=_("Where"),
        max_length=200,
        required=False,
        help_text=_(
            "For court: the courthouse and courtroom; a forensic exam: the hospital; an "
            "interview: the station or unit."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_(
            "For example the hearing type or who else attends; not the facts of the crime."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "schedule_%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("due_at", _tomorrow_at_ten())


def _tomorrow_at_ten() -> str:
    tomorrow = timezone.localdate() + timedelta(days=1)
    return f"{tomorrow.isoformat()}T10:00"


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (FollowUpOutcome.DONE, _("Done: we spoke (or went to court)")),
            (FollowUpOutcome.NOT_REACHED, FollowUpOutcome.NOT_REACHED.label),
        ],
        widget=forms.RadioSelect,
        initial=FollowUpOutcome.DONE,
    )
    contact = forms.ModelChoiceField(
        label=_("The contact it was"),
        queryset=Contact.objects.none(),
        required=False,
        empty_label=_("None logged"),
    )

    def __init__(self, *args, contacts=None, **kwargs):
        kwargs.setdefault("auto_id", "complete_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        if contacts is not None:
            field.queryset = Contact.objects.filter(pk__in=[c.pk for c in contacts])
        field.label_from_instance = _contact_label


def _contact_label(contact: Contact) -> str:
    when = dateformat.format(timezone.localtime(contact.occurred_at), "M j, g:i A")
    return f"{when}: {contact.get_outcome_display()} {contact.get_channel_display().lower()}"


class SkipForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False, label=_("Why (optional)"))


class ReassignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Who does it"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("The case's specialist"),
    )

    def __init__(self, *args, caseworkers=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = Membership.objects.filter(
            pk__in=[m.pk for m in caseworkers]
        ).select_related("user")  # display_name: one query, not one per member
        field.label_from_instance = lambda m: m.display_name


class BoardForm(forms.Form):
    who = forms.ChoiceField(label=_("Whose follow-ups"), required=False)

    def __init__(self, *args, caseworkers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = [("mine", "Mine"), ("all", "Everyone's")] + [
            (str(m.pk), m.display_name) for m in caseworkers
        ]


class RuleForm(forms.Form):
    name = forms.CharField(
        max_length=80, help_text=_("For example: Domestic violence, high priority")
    )
    victimization = forms.ChoiceField(
        label=_("Victimization type"),
        choices=[("", "Any")] + choices("pmt", "victimization_types"),
        required=False,
    )
    priority = forms.ChoiceField(choices=[("", "Any")] + list(Priority.choices), required=False)
    unit = forms.ChoiceField(label=_("How often"), choices=CadenceUnit.choices)
    every = forms.IntegerField(label=_("Every how many"), min_value=1, max_value=90, initial=1)
    position = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=999,
        initial=0,
        help_text=_("Lower is tried first."),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    version = VersionField()

    @staticmethod
    def initial_for(rule) -> dict:
        return {
            name: getattr(rule, name)
            for name in ("name", "victimization", "priority", "unit", "every", "position")
        } | {"is_active": rule.is_active, "version": rule.version}


class SettingsForm(forms.Form):
    skip_closed_days = forms.BooleanField(
        label=_("Move check-ins that fall on a day the unit is closed to the next day it is open"),
        required=False,
    )
    default_time = forms.TimeField(
        label=_("Check-in time for plans made by a rule"), widget=TimeInput()
    )
    version = VersionField()
