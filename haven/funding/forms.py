"""Forms only parse input; the rules (sums, balances, who approves) live in the services."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.forms import VersionField
from haven.funding.models import EmergencyFund, FundingKind, FundingSource, Purpose
from haven.funding.selectors import funds_for, sources_for

DATE = forms.DateInput(attrs={"type": "date"})
SELECT = {"class": "usa-select"}


class SourceForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=FundingKind.choices, widget=forms.Select(attrs=SELECT))
    award_number = forms.CharField(max_length=60, required=False)
    period_start = forms.DateField(widget=DATE)
    period_end = forms.DateField(widget=DATE)
    amount = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, label=_("Award amount ($)")
    )
    is_default = forms.BooleanField(
        required=False, label=_("Default source: services recorded without a source go to it")
    )
    version = VersionField()


def source_initial(source: FundingSource) -> dict:
    fields = ["name", "kind", "award_number", "period_start", "period_end", "amount"]
    return {name: getattr(source, name) for name in fields} | {
        "is_default": source.is_default,
        "version": source.version,
    }


class DepositForm(forms.Form):
    source = forms.ModelChoiceField(
        queryset=FundingSource.objects.none(),
        label=_("Funding source"),
        widget=forms.Select(SELECT),
    )
    amount = forms.DecimalField(min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
    deposited_on = forms.DateField(widget=DATE, label=_("Deposited on"))
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources_for(agency)


class SplitForm(forms.Form):
    """One member's split from a date: one percent field per funding source of the agency."""

    member = forms.TypedChoiceField(coerce=int, widget=forms.Select(SELECT))
    effective_from = forms.DateField(widget=DATE, label=_("In effect from"))

    def __init__(self, *args, members, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = list(sources)
        self.fields["member"].choices = [(m.pk, m.display_name) for m in members]
        for source in self.sources:
            self.fields[f"source_{source.pk}"] = forms.DecimalField(
                label=f"{source.name} (%)",
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
            )

    @property
    def source_fields(self):
        return [self[f"source_{source.pk}"] for source in self.sources]

    def lines(self) -> list:
        data = self.cleaned_data
        return [
            (source, data[f"source_{source.pk}"])
            for source in self.sources
            if data.get(f"source_{source.pk}")
        ]


class RequestForm(forms.Form):
    fund = forms.ModelChoiceField(
        queryset=EmergencyFund.objects.none(),
        label=_("From the fund of"),
        widget=forms.Select(SELECT),
    )
    purpose = forms.ChoiceField(
        choices=Purpose.choices, label=_("What for"), widget=forms.Select(SELECT)
    )
    amount = forms.DecimalField(
        label=_("Amount ($)"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2
    )
    detail = forms.CharField(
        max_length=200,
        required=False,
        help_text=_("E.g. two nights at a motel. Not the facts of the crime."),
    )
    receipt = forms.FileField(
        required=False, help_text=_("A PDF, or a photo or scan of it; it can be attached later.")
    )

    def __init__(self, *args, agency, **kwargs):
        kwargs.setdefault("auto_id", "efa_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["fund"]
        field.queryset = funds_for(agency)
        field.label_from_instance = lambda f: f"{f.source.name} (balance ${f.balance:,.2f})"


class DecisionForm(forms.Form):
    note = forms.CharField(
        max_length=200, required=False, label=_("Note (required to decline)"), help_text=""
    )


class ReceiptForm(forms.Form):
    receipt = forms.FileField(help_text=_("A PDF, or a photo or scan of it."))
