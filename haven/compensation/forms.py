"""Forms only parse input; the rules (programs, dates, amounts, moves) live in
compensation.services and the program files."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.compensation.models import TRANSITIONS, ClaimStatus, Cooperation
from haven.compensation.programs import Program, program_choices
from haven.core.forms import VersionField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _money_field(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    # Text, not a float widget: the service parses it to Decimal and says what is wrong.
    return forms.CharField(
        label=label,
        required=required,
        max_length=20,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0.00"}),
    )


class ClaimForm(forms.Form):
    """The claim's facts. `people` are (person, relation label) pairs on the case."""

    claimant = forms.TypedChoiceField(label=_("Claimant"), coerce=int, required=False)
    program = forms.ChoiceField(label=_("Program"), required=False)
    claimant_relation = forms.ChoiceField(label=_("Applies as"))
    crime_date = forms.DateField(label=_("Date of the crime"), widget=DateInput)
    crime_type = forms.ChoiceField(label=_("Crime"), required=False)
    reported_on = forms.DateField(
        label=_("Reported to police on"), required=False, widget=DateInput
    )
    police_agency = forms.CharField(label=_("Reported to (agency)"), required=False, max_length=120)
    report_exception = forms.ChoiceField(
        label=_("Exception to the reporting rule"),
        required=False,
        help_text=_("Only when the report was late or not made to police."),
    )
    charges_filed_on = forms.DateField(
        label=_("Charges filed on"), required=False, widget=DateInput
    )
    cooperated = forms.ChoiceField(
        label=_("Cooperated with law enforcement"), choices=Cooperation.choices, required=False
    )
    incarcerated = forms.BooleanField(
        label=_("The claimant is held in a correctional institution"), required=False
    )
    late_good_cause = forms.CharField(
        label=_("Good cause for filing late"), required=False, max_length=300
    )
    state_claim_number = forms.CharField(
        label=_("State claim number"), required=False, max_length=40
    )
    version = VersionField()

    def __init__(self, *args, prog: Program, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["claimant"], self.fields["program"]
        else:
            self.fields["claimant"].choices = [
                (p.pk, f"{p.full_name} ({rel})") for p, rel in people
            ]
            self.fields["claimant"].required = True
            self.fields["program"].choices = program_choices()
        self.fields["claimant_relation"].choices = list(prog.relations.items())
        self.fields["crime_type"].choices = [("", "Not known yet"), *prog.crime_types.items()]
        self.fields["report_exception"].choices = [("", "None")] + [
            (code, e["label"]) for code, e in prog.exceptions.items()
        ]

    def facts(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("claimant", None)
        data.pop("program", None)
        data.pop("version", None)
        return data


class ExpenseForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    amount = _money_field("Amount claimed ($)")
    incurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    provider = forms.CharField(label=_("Provider or payee"), required=False, max_length=200)
    description = forms.CharField(label=_("What it was for"), required=False, max_length=200)
    months = forms.IntegerField(
        label=_("Months claimed"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("Loss of earnings or support only: capped per month."),
    )

    def __init__(self, *args, prog: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.code, c.label) for c in prog.categories.values()]


class DocumentsForm(forms.Form):
    documents_received = forms.MultipleChoiceField(
        label=_("Documents received"), required=False, widget=forms.CheckboxSelectMultiple
    )
    amount_awarded = _money_field("Awarded for this expense ($)", required=False)

    def __init__(self, *args, prog: Program, category: str, **kwargs):
        super().__init__(*args, **kwargs)
        codes = prog.categories[category].documents
        self.fields["documents_received"].choices = [(c, prog.documents[c]) for c in codes]


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Move to"))
    on = forms.DateField(
        label=_("On"), required=False, widget=DateInput, help_text=_("Filing or decision date.")
    )
    award_amount = _money_field("Amount awarded ($)", required=False)
    state_claim_number = forms.CharField(
        label=_("State claim number"), required=False, max_length=40
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    notify = forms.BooleanField(
        label=_("Tell the claimant (a message through their safe contacts)"), required=False
    )

    def __init__(self, *args, status: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[status]
        self.fields["to_status"].choices = [(s, s.label) for s in ClaimStatus if s in allowed]


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)
    amount = _money_field("Amount ($)")
    payee = forms.CharField(
        label=_("Paid to"), max_length=200, help_text=_("The claimant or a provider.")
    )
    category = forms.ChoiceField(label=_("For"), required=False)

    def __init__(self, *args, prog: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "The whole award")] + [
            (c.code, c.label) for c in prog.categories.values()
        ]


class RestitutionOrderForm(forms.Form):
    payee = forms.TypedChoiceField(label=_("Paid to"), coerce=int)
    court_case_number = forms.CharField(label=_("Court case number"), max_length=60)
    amount = _money_field("Amount ordered ($)")
    ordered_on = forms.DateField(label=_("Ordered on"), widget=DateInput)
    payer_name = forms.CharField(label=_("Defendant (payer)"), max_length=200)
    schedule_note = forms.CharField(
        label=_("Payment schedule"),
        required=False,
        max_length=300,
        help_text=_("e.g. $100 a month"),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payee"].choices = [(p.pk, f"{p.full_name} ({rel})") for p, rel in people]


class RestitutionPaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)
    amount = _money_field("Amount ($)")
    received_from = forms.CharField(
        label=_("Received from"), max_length=120, initial="Clerk of the Circuit Court"
    )
    notify = forms.BooleanField(label=_("Tell the victim"), required=False, initial=True)
