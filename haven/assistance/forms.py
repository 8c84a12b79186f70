"""Forms only parse input; the rules (codes, person, time, closed cases) live in
assistance.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.assistance import catalog
from haven.assistance.selectors import people_served
from haven.core.forms import DateTimeLocalInput
from haven.funding.models import FundingSource
from haven.funding.selectors import sources_for
from haven.people.models import Person


class ServiceForm(forms.Form):
    """One service: a one-tap button sends only `sub_service` (now, for the primary victim);
    the "More…" form sends every field."""

    sub_service = forms.ChoiceField(label=_("Service"), choices=catalog.grouped_choices)
    person = forms.ModelChoiceField(
        label=_("For"), queryset=Person.objects.none(), required=False, empty_label=None
    )
    provided_at = forms.DateTimeField(
        label=_("When"),
        widget=DateTimeLocalInput(),
        required=False,
        help_text=_("Empty means now."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), required=False, min_value=0, max_value=1440
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=500,
        help_text=_("What was done and what next, not the facts of the crime."),
    )
    funding_source = forms.ModelChoiceField(
        label=_("Paid by (funding source)"),
        queryset=FundingSource.objects.none(),
        required=False,
        empty_label=_("The agency's default source"),
    )

    def __init__(self, *args, people=(), agency=None, **kwargs):
        """`people`: (person, relation) pairs, from assistance.selectors.people_served."""
        # Ids of their own: the case page's contact form also has a "duration_minutes".
        kwargs.setdefault("auto_id", "service_%s")
        super().__init__(*args, **kwargs)
        labels = {person.pk: f"{person.full_name} ({relation})" for person, relation in people}
        field = self.fields["person"]
        field.queryset = Person.objects.filter(pk__in=labels).order_by()
        field.label_from_instance = lambda person: labels.get(person.pk, person.full_name)
        # Keep the order given (the victim first) rather than the database's.
        field.choices = [(pk, label) for pk, label in labels.items()]
        if agency is not None:
            self.fields["funding_source"].queryset = sources_for(agency)
        else:
            del self.fields["funding_source"]
        if not self.is_bound:
            self.initial.setdefault("provided_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
            if people:
                self.initial.setdefault("person", people[0][0].pk)


class RemoveForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        label=_("Why remove it"),
        help_text=_("For example: wrong case, entered twice."),
    )


def blank_service_form(case) -> ServiceForm:
    """The "More…" form for a case: its people served, and on an ended case the time it ended
    (only services given before then can be recorded)."""
    initial = {}
    if not case.is_open and case.closed_at is not None:
        initial["provided_at"] = timezone.localtime(case.closed_at).strftime("%Y-%m-%dT%H:%M")
    return ServiceForm(people=people_served(case), agency=case.agency, initial=initial)
