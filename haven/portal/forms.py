"""Forms of the status page: the victim's (code, date of birth, choices) and the specialist's
(offer, releases)."""

from django import forms

from haven.portal.services import DEFAULT_DAYS, MAX_DAYS
from haven.portal.texts import LANGUAGE_NAMES, LANGUAGES


class CodeForm(forms.Form):
    code = forms.CharField(max_length=12, required=False)
    dob = forms.DateField(required=False)

    def clean(self):
        data = super().clean()
        if not data.get("code") and not data.get("dob"):
            raise forms.ValidationError("code")
        return data


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=[(c, LANGUAGE_NAMES[c]) for c in LANGUAGES])


class StopForm(forms.Form):
    stop = forms.ChoiceField(choices=[("sms", "sms"), ("email", "email"), ("all", "all")])


class ReleaseForm(forms.Form):
    """What the page shows. Everything off until ticked (fail closed)."""

    show_court = forms.BooleanField(label="Court dates (and the calendar file)", required=False)
    custody = forms.MultipleChoiceField(
        label="Custody changes to tell them of",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    show_compensation = forms.BooleanField(label="Their compensation claim", required=False)
    show_referrals = forms.BooleanField(label="Their partner referrals", required=False)
    next_steps = forms.CharField(
        label="What happens next, in your words (the victim reads this)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dob_allowed = forms.BooleanField(
        label="They chose to open it with their date of birth (instead of a code)",
        required=False,
    )

    def __init__(self, *args, custody_events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["custody"].choices = [
            (str(e.pk), f"{e.get_kind_display()} · {e.occurred_at:%b %-d, %Y}")
            for e in custody_events
        ]


class OfferForm(ReleaseForm):
    person = forms.TypedChoiceField(label="For", coerce=int)
    days = forms.IntegerField(
        label="Link works for (days)", min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )
    field_order = ["person", "days"]

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.full_name) for p in people]
