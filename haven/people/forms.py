from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haven.core.forms import VersionField
from haven.lib.reference import choices
from haven.people.models import LANGUAGES, ContactKind


class ContactPointForm(forms.Form):
    kind = forms.ChoiceField(choices=ContactKind.choices, initial=ContactKind.PHONE)
    value = forms.CharField(
        label=_("Number, email or address"), widget=forms.Textarea(attrs={"rows": 2})
    )
    label = forms.CharField(
        max_length=40, required=False, help_text=_("Mobile, work, a friend's phone…")
    )
    is_primary = forms.BooleanField(required=False, label=_("Primary way to reach them"))
    ok_to_contact = forms.BooleanField(required=False, initial=True, label=_("OK to contact here"))
    ok_voicemail = forms.BooleanField(required=False, label=_("Safe to leave a voicemail"))
    ok_text = forms.BooleanField(required=False, label=_("Safe to text"))
    ok_mail = forms.BooleanField(required=False, label=_("Safe to send mail or email"))
    safe_from = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}), label=_("Safe from")
    )
    safe_until = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}), label=_("Safe until")
    )
    safety_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the partner checks this phone after 6 pm."),
    )


class PersonSearchForm(forms.Form):
    """Exact-match look-up: a phone, an email, a first and last name (with or without the date
    of birth), or a last name alone."""

    phone = forms.CharField(max_length=40, required=False)
    email = forms.CharField(max_length=200, required=False)
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    date_of_birth = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if not (data.get("phone") or data.get("email") or data.get("last_name")):
            raise forms.ValidationError(
                gettext(
                    "Enter a phone number, an email, or a last name (with the first name and date "
                    "of birth if you have them)."
                )
            )
        return data


class PersonForm(forms.Form):
    """A person's details and PMT demographics (self-reported; "not reported" is an answer)."""

    first_name = forms.CharField(max_length=100)
    middle_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100)
    preferred_name = forms.CharField(max_length=100, required=False)
    pronouns = forms.CharField(max_length=40, required=False)
    date_of_birth = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    preferred_language = forms.ChoiceField(choices=LANGUAGES)
    interpreter_needed = forms.BooleanField(required=False)
    race_ethnicity = forms.ChoiceField(
        choices=choices("pmt", "race_ethnicity"), label=_("Race/ethnicity")
    )
    gender_identity = forms.ChoiceField(choices=choices("pmt", "gender_identity"))
    special_classifications = forms.MultipleChoiceField(
        choices=choices("pmt", "special_classifications"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Special classifications (self-reported)"),
    )
    version = VersionField()

    @classmethod
    def for_person(cls, person, data=None):
        initial = {name: getattr(person, name) for name in cls.base_fields}
        return cls(data, initial=initial)
