"""Forms only parse input; the rules (who may sign, terms, recipients) live in
consent.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.consent.models import (
    ConsentMethod,
    DataCategory,
    Purpose,
    RevocationMethod,
    SignerRelation,
)
from haven.core.forms import VersionField
from haven.partners.models import Organization


class DateInput(forms.DateInput):
    input_type = "date"


class ReleaseForm(forms.Form):
    recipient_organization = forms.ModelChoiceField(
        label=_("Recipient in the partner directory"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("— not in the directory —"),
    )
    recipient_name = forms.CharField(
        label=_("Or the recipient's name, exactly as written on the release"),
        max_length=200,
        required=False,
        help_text=_("e.g. “Cook County State's Attorney, Victim Witness Unit”."),
    )
    recipient_description = forms.CharField(
        label=_("About this recipient"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    purposes = forms.MultipleChoiceField(
        label=_("What for"), choices=Purpose.choices, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.MultipleChoiceField(
        label=_("What may be shared"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    method = forms.ChoiceField(
        label=_("How it was signed"), choices=ConsentMethod.choices, widget=forms.RadioSelect
    )
    signed_on = forms.DateField(
        label=_("Signed on (paper)"),
        required=False,
        widget=DateInput,
        help_text=_("As on the form."),
    )
    expires_on = forms.DateField(label=_("Expires on"), widget=DateInput)
    signer_relation = forms.ChoiceField(label=_("Who signed"), choices=SignerRelation.choices)
    signer_name = forms.CharField(
        label=_("Signer's full name (parent, guardian or representative)"),
        max_length=200,
        required=False,
    )
    signer_not_offender_confirmed = forms.BooleanField(
        label=_("I confirmed the person signing is not the alleged offender"), required=False
    )
    minor_assent = forms.BooleanField(label=_("The minor agreed too"), required=False)
    minor_emancipated = forms.BooleanField(
        label=_("The minor is emancipated and signs alone"), required=False
    )
    esign_typed_name = forms.CharField(
        label=_("Electronic signature: the signer types their full name"),
        max_length=200,
        required=False,
    )
    informed_confirmed = forms.BooleanField(
        label=(
            _(
                "I told the person what will be shared, with whom, why, until when, that they may "
                "revoke it at any time, and that our services never depend on signing"
            )
        ),
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agency is not None:
            self.fields["recipient_organization"].queryset = Organization.objects.filter(
                agency=agency, is_active=True
            ).order_by("name")


class RevokeForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How the person revoked it"), choices=RevocationMethod.choices
    )
    reason = forms.CharField(
        label=_("What they said"),
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": "Asked to stop sharing with the shelter"}),
    )


class ConsentSettingsForm(forms.Form):
    default_days = forms.IntegerField(label=_("Proposed term (days)"), min_value=1)
    max_days = forms.IntegerField(label=_("Longest term allowed (days)"), min_value=1)
    minor_assent_age = forms.IntegerField(
        label=_("Record a minor's own agreement from age"),
        required=False,
        help_text=_("Empty: never asked."),
    )
    expiring_window_days = forms.IntegerField(label=_("“Expiring soon” looks ahead (days)"))
    version = VersionField()
