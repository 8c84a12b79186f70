"""Forms only parse and check the shape of input; the rules live in cases.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.agencies.models import Membership
from haven.cases.models import (
    AttemptResult,
    CaseStatus,
    CloseReason,
    ContactChannel,
    ContactDirection,
    ContactOutcome,
    NoteVisibility,
    Relation,
)
from haven.cases.selectors import CaseFilters
from haven.core.forms import DateTimeLocalInput, LocalDateTimeField
from haven.people.models import LANGUAGES


class ContactForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=ContactOutcome.choices, widget=forms.RadioSelect, initial=ContactOutcome.ATTEMPTED
    )
    channel = forms.ChoiceField(choices=ContactChannel.choices, initial=ContactChannel.PHONE)
    direction = forms.ChoiceField(
        choices=ContactDirection.choices, initial=ContactDirection.OUTBOUND
    )
    attempt_result = forms.ChoiceField(
        choices=[("", "—")] + AttemptResult.choices,
        required=False,
        label=_("If attempted: what happened"),
    )
    occurred_at = LocalDateTimeField(label=_("When"), widget=DateTimeLocalInput())
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), required=False, min_value=0, max_value=1440
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Services and next steps, not the facts of the crime."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["occurred_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))
    visibility = forms.ChoiceField(
        choices=NoteVisibility.choices, initial=NoteVisibility.PRIVILEGED
    )


class TaskForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("What needs doing"))
    due_at = LocalDateTimeField(label=_("Due"), widget=DateTimeLocalInput())


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=CaseStatus.choices)
    close_reason = forms.ChoiceField(
        choices=[("", "—")] + CloseReason.choices,
        required=False,
        label=_("Why it closes (when closing)"),
    )
    reason = forms.CharField(max_length=200, required=False)


class ClosureReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve the closing")), ("return", _("Return to the specialist"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        max_length=200, required=False, label=_("What is left to do (when returning)")
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=Membership.objects.none(), required=False, empty_label=_("Nobody (unassigned)")
    )
    reason = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = caseworkers
        self.fields["assignee"].label_from_instance = lambda m: (
            f"{m.display_name} — {m.get_role_display()}, {m.open_cases} open"
        )


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label=_("Case no., report no. or last name"),
        help_text=(
            _(
                "A whole last name (also one the victim is known by): names are stored "
                "encrypted, so part of one finds nothing."
            )
        ),
    )
    status = forms.ChoiceField(
        choices=[("open", "Open"), ("all", "All")] + CaseStatus.choices, required=False
    )
    assignee = forms.ChoiceField(required=False, label=_("Specialist"))

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "Anyone"), ("none", "Unassigned")] + [
            (str(m.pk), m.display_name) for m in caseworkers
        ]


class RelatedPersonForm(forms.Form):
    """A family member, friend or guardian new to Haven, added to the case."""

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    relation = forms.ChoiceField(choices=Relation.choices)
    is_served = forms.BooleanField(required=False, initial=True, label=_("Served by this case"))
    phone = forms.CharField(max_length=40, required=False)
    preferred_language = forms.ChoiceField(choices=LANGUAGES, initial="en", label=_("Language"))


def case_filters_from(data, workers) -> tuple[CaseFilterForm, CaseFilters]:
    """The case-list filter form bound to a query string, and the filters it asks for (all
    open cases when the form is empty or wrong)."""
    form = CaseFilterForm(data or None, caseworkers=workers)
    filters = CaseFilters()
    if form.is_valid():
        filters = CaseFilters(
            status=form.cleaned_data["status"] or "open",
            assignee=form.cleaned_data["assignee"] or "",
            q=form.cleaned_data["q"],
        )
    return form, filters
