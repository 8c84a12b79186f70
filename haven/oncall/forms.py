"""The roster page's forms: they only parse; the rules live in oncall.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.forms import DateTimeLocalInput, LocalDateTimeField, VersionField
from haven.oncall.models import WEEKDAYS, Coverage

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _MemberField(forms.ModelChoiceField):
    def label_from_instance(self, m):
        return f"{m.display_name} — {m.get_role_display()}" + ("" if m.phone else " (no phone)")


class _MembersForm(forms.Form):
    """A form with a `member` choice among the agency's active specialists."""

    member_empty_label = "Choose…"

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].empty_label = self.member_empty_label


class ShiftForm(_MembersForm):
    prefix = "shift"
    member = _MemberField(queryset=None, label=_("On call"))
    starts_at = LocalDateTimeField(label=_("From"), widget=DateTimeLocalInput())
    ends_at = LocalDateTimeField(label=_("Until"), widget=DateTimeLocalInput())
    note = forms.CharField(max_length=200, required=False, label=_("Note"))


class PatternSlotForm(_MembersForm):
    prefix = "slot"
    weekday = forms.TypedChoiceField(
        choices=list(enumerate(WEEKDAYS)), coerce=int, label=_("Every")
    )
    starts = forms.TimeField(label=_("From"), widget=TIME)
    ends = forms.TimeField(
        label=_("Until"), widget=TIME, help_text=_("An end at or before the start is the next day.")
    )
    member = _MemberField(queryset=None, label=_("On call"))


class HolidayForm(_MembersForm):
    prefix = "holiday"
    member_empty_label = "Nobody: no cover that day"
    date = forms.DateField(label=_("Day"), widget=DATE)
    name = forms.CharField(max_length=100, label=_("Holiday"))
    member = _MemberField(queryset=None, required=False, label=_("Cover, all day"))


class OverrideForm(_MembersForm):
    prefix = "override"
    member_empty_label = "Nobody"
    member = _MemberField(
        queryset=None,
        required=False,
        label=_("When the roster names nobody, on call"),
    )
    until = LocalDateTimeField(
        required=False,
        label=_("Until"),
        widget=DateTimeLocalInput(),
        help_text=_("Empty: until changed."),
    )


class SettingsForm(forms.Form):
    prefix = "settings"
    coverage = forms.ChoiceField(
        choices=Coverage.choices, widget=forms.RadioSelect, label=_("Someone is on call")
    )
    hotline = forms.CharField(
        max_length=32,
        required=False,
        label=_("Hotline for when the unit is closed"),
        widget=forms.TextInput({"type": "tel", "inputmode": "tel"}),
    )
    version = VersionField()
