"""The intake forms: the specialist's new case, the officer's scene referral (a phone-sized
form) and who is on call for scene referrals. They only parse and check the shape of input; the
rules live in services.py and scene_referral.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.agencies.models import Membership
from haven.cases.models import CaseSource, Priority
from haven.core.forms import DateTimeLocalInput, LocalDateTimeField
from haven.crisis.models import Place
from haven.crisis.services import DETAIL_LIMIT
from haven.intake.scene_referral import COMMON_VICTIMIZATIONS, NOTE_LIMIT, Consent
from haven.lib.reference import choices
from haven.people.models import LANGUAGES


class NewCaseForm(forms.Form):
    """Intake by a specialist: the victim, how to reach them safely, and the case."""

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    date_of_birth = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    preferred_language = forms.ChoiceField(choices=LANGUAGES, initial="en")
    interpreter_needed = forms.BooleanField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    ok_voicemail = forms.BooleanField(required=False, label=_("Safe to leave a voicemail"))
    ok_text = forms.BooleanField(required=False, label=_("Safe to text"))
    email = forms.EmailField(required=False)
    source = forms.ChoiceField(choices=CaseSource.choices, initial=CaseSource.HOTLINE)
    received_at = LocalDateTimeField(label=_("Received"), widget=DateTimeLocalInput())
    victimizations = forms.MultipleChoiceField(
        choices=choices("pmt", "victimization_types"),
        widget=forms.CheckboxSelectMultiple,
        label=_("Victimization types"),
    )
    report_number = forms.CharField(
        max_length=40, required=False, help_text=_("Optional: a police report is not required.")
    )
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.NORMAL)
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))


# A victim's name and number must not stay in an officer's phone's form history.
PRIVATE = {"autocomplete": "off"}
TIME = forms.TimeInput(attrs={"type": "time", "class": "usa-input"}, format="%H:%M")


class SceneReferralForm(forms.Form):
    first_name = forms.CharField(max_length=100, widget=forms.TextInput(PRIVATE))
    last_name = forms.CharField(max_length=100, widget=forms.TextInput(PRIVATE))
    phone = forms.CharField(
        max_length=40,
        required=False,
        widget=forms.TextInput(PRIVATE | {"type": "tel", "inputmode": "tel"}),
    )
    safe_to_call = forms.BooleanField(required=False, label=_("Safe to call"))
    ok_voicemail = forms.BooleanField(required=False, label=_("Safe to leave a voicemail"))
    ok_text = forms.BooleanField(required=False, label=_("Safe to text"))
    safe_from = forms.TimeField(required=False, label=_("From"), widget=TIME)
    safe_until = forms.TimeField(required=False, label=_("Until"), widget=TIME)
    email = forms.EmailField(required=False, widget=forms.EmailInput(PRIVATE))
    preferred_language = forms.ChoiceField(choices=LANGUAGES, initial="en", label=_("Language"))
    interpreter_needed = forms.BooleanField(required=False)
    report_number = forms.CharField(
        max_length=40,
        required=False,
        widget=forms.TextInput({"autocapitalize": "characters", "autocomplete": "off"}),
    )
    victimizations = forms.MultipleChoiceField(
        choices=choices("pmt", "victimization_types"),
        widget=forms.CheckboxSelectMultiple,
        label=_("What happened"),
        error_messages={"required": "Choose at least one."},
    )
    consent = forms.ChoiceField(
        choices=Consent.choices,
        widget=forms.RadioSelect,
        label=_("Does the victim agree to be contacted by victim services?"),
        error_messages={"required": "Say what the victim answered, or that you could not ask."},
    )
    note = forms.CharField(
        required=False,
        max_length=NOTE_LIMIT,
        label=_("Note for the specialist"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    urgent = forms.BooleanField(required=False, label=_("The victim is in danger now"))
    # Asking a specialist to come (haven.crisis): the on-call specialist is alerted.
    specialist_needed = forms.BooleanField(required=False, label=_("Ask a specialist to come now"))
    # Asked to come: in person (a call back is the referral itself).
    callout_place = forms.ChoiceField(
        choices=[(value, label) for value, label in Place.choices if value != Place.PHONE],
        required=False,
        widget=forms.RadioSelect,
        label=_("Where"),
    )
    callout_place_detail = forms.CharField(
        max_length=DETAIL_LIMIT,
        required=False,
        label=_("Address or place"),
        widget=forms.TextInput(PRIVATE),
    )

    def victimization_options(self) -> tuple[list, list]:
        """The checkboxes of the common types (in their order), and of all the others."""
        options = {option.data["value"]: option for option in self["victimizations"]}
        common = [options[code] for code in COMMON_VICTIMIZATIONS]
        rest = [option for code, option in options.items() if code not in COMMON_VICTIMIZATIONS]
        return common, rest

    def rest_chosen(self) -> bool:
        chosen = set(self["victimizations"].value() or [])
        return bool(chosen - set(COMMON_VICTIMIZATIONS))


class OnCallForm(forms.Form):
    on_call = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("Nobody: referrals wait in the unassigned queue"),
        label=_("On call for officer referrals"),
    )
    phone = forms.CharField(
        max_length=32,
        required=False,
        label=_("The unit's phone"),
        widget=forms.TextInput({"type": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_call"].queryset = caseworkers
        self.fields["on_call"].label_from_instance = lambda m: (
            f"{m.display_name} — {m.get_role_display()}" + ("" if m.phone else " (no phone)")
        )
