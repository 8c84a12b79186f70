"""The officer's referral from the scene (a phone-sized form, then a receipt) and the page where a
supervisor says who is on call. The rules live in cases.referrals; these forms only parse."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from haven.agencies.models import Membership
from haven.agencies.roles import Perm
from haven.agencies.selectors import caseworkers
from haven.cases.referrals import (
    COMMON_VICTIMIZATIONS,
    NOTE_LIMIT,
    Consent,
    ReferredVictim,
    agency_set_on_call,
    officer_referral_open,
    on_call_specialist,
    referral_receipt,
)
from haven.core.decorators import staff_view
from haven.core.forms import add_service_errors, dataclass_from
from haven.lethality.forms import ScreenForm, take_screen_errors
from haven.lib.reference import choices
from haven.people.models import LANGUAGES

# The receipt is found through the session, never the URL: no case id to guess or share.
RECEIPT_KEY = "referral_receipt_case"

# The lethality screen's fields in the referral form: "lethality-q1", "lethality-declined", ...
SCREEN_PREFIX = "lethality"

# A victim's name and number must not stay in an officer's phone's form history.
PRIVATE = {"autocomplete": "off"}
TIME = forms.TimeInput(attrs={"type": "time", "class": "usa-input"}, format="%H:%M")


class ReferralForm(forms.Form):
    first_name = forms.CharField(max_length=100, widget=forms.TextInput(PRIVATE))
    last_name = forms.CharField(max_length=100, widget=forms.TextInput(PRIVATE))
    phone = forms.CharField(
        max_length=40,
        required=False,
        widget=forms.TextInput(PRIVATE | {"type": "tel", "inputmode": "tel"}),
    )
    safe_to_call = forms.BooleanField(required=False, label="Safe to call")
    ok_voicemail = forms.BooleanField(required=False, label="Safe to leave a voicemail")
    ok_text = forms.BooleanField(required=False, label="Safe to text")
    safe_from = forms.TimeField(required=False, label="From", widget=TIME)
    safe_until = forms.TimeField(required=False, label="Until", widget=TIME)
    email = forms.EmailField(required=False, widget=forms.EmailInput(PRIVATE))
    preferred_language = forms.ChoiceField(choices=LANGUAGES, initial="en", label="Language")
    interpreter_needed = forms.BooleanField(required=False)
    report_number = forms.CharField(
        max_length=40,
        required=False,
        widget=forms.TextInput({"autocapitalize": "characters", "autocomplete": "off"}),
    )
    victimizations = forms.MultipleChoiceField(
        choices=choices("pmt", "victimization_types"),
        widget=forms.CheckboxSelectMultiple,
        label="What happened",
        error_messages={"required": "Choose at least one."},
    )
    consent = forms.ChoiceField(
        choices=Consent.choices,
        widget=forms.RadioSelect,
        label="Does the victim agree to be contacted by victim services?",
        error_messages={"required": "Say what the victim answered, or that you could not ask."},
    )
    note = forms.CharField(
        required=False,
        max_length=NOTE_LIMIT,
        label="Note for the specialist",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    urgent = forms.BooleanField(required=False, label="The victim is in danger now")

    def victimization_options(self) -> tuple[list, list]:
        """The checkboxes of the common types (in their order), and of all the others."""
        options = {option.data["value"]: option for option in self["victimizations"]}
        common = [options[code] for code in COMMON_VICTIMIZATIONS]
        rest = [option for code, option in options.items() if code not in COMMON_VICTIMIZATIONS]
        return common, rest

    def rest_chosen(self) -> bool:
        chosen = set(self["victimizations"].value() or [])
        return bool(chosen - set(COMMON_VICTIMIZATIONS))


@staff_view(Perm.REFERRAL_CREATE)
def referral_new(request):
    form = ReferralForm(request.POST or None)
    # The optional lethality screen: its own fields, under their own prefix, in the same form.
    screen_form = ScreenForm(request.POST or None, prefix=SCREEN_PREFIX)
    if request.method == "POST" and all([form.is_valid(), screen_form.is_valid()]):
        data = form.cleaned_data
        try:
            case = officer_referral_open(
                actor=request.actor,
                victim=dataclass_from(ReferredVictim, data),
                victimizations=data["victimizations"],
                consent=data["consent"],
                urgent=data["urgent"],
                report_number=data["report_number"],
                note=data["note"],
                lethality=screen_form.screen() if screen_form.given() else None,
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            if rest := take_screen_errors(screen_form, exc):
                add_service_errors(form, rest)
        else:
            request.session[RECEIPT_KEY] = case.pk
            return redirect("cases:referral_received")
    common, rest = form.victimization_options()
    failed = bool(form.errors or screen_form.errors)
    return render(
        request,
        "cases/referral_new.html",
        {
            "form": form,
            "screen_form": screen_form,
            "screen_open": screen_form.is_bound and (screen_form.errors or screen_form.given()),
            "common_types": common,
            "other_types": rest,
        },
        status=400 if failed else 200,
    )


@staff_view(Perm.REFERRAL_CREATE)
def referral_received(request):
    """The receipt of the member's last referral in this session; without one, the form."""
    case_id = request.session.get(RECEIPT_KEY)
    if case_id is None:
        return redirect("cases:referral_new")
    receipt = referral_receipt(request.actor, case_id)
    return render(request, "cases/referral_received.html", {"receipt": receipt})


class OnCallForm(forms.Form):
    on_call = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        empty_label="Nobody: referrals wait in the unassigned queue",
        label="On call for officer referrals",
    )
    phone = forms.CharField(
        max_length=32,
        required=False,
        label="The unit's phone",
        widget=forms.TextInput({"type": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_call"].queryset = caseworkers
        self.fields["on_call"].label_from_instance = lambda m: (
            f"{m.display_name} — {m.get_role_display()}" + ("" if m.phone else " (no phone)")
        )


@staff_view(Perm.CASE_ASSIGN)
def on_call(request):
    actor = request.actor
    current = on_call_specialist(actor.agency)
    form = OnCallForm(
        request.POST or None,
        caseworkers=caseworkers(actor),
        initial={"on_call": current, "phone": actor.agency.phone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            agency_set_on_call(
                actor=actor, on_call=form.cleaned_data["on_call"], phone=form.cleaned_data["phone"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            who = form.cleaned_data["on_call"]
            messages.success(
                request,
                f"{who.display_name} is on call." if who else "Nobody is on call now.",
            )
            return redirect("cases:on_call")
    return render(
        request,
        "cases/referral_on_call.html",
        {"form": form, "current": current},
        status=400 if form.errors else 200,
    )
