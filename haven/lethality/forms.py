"""Forms only parse; the rules (what a declined screen may hold, the outcome) live in
lethality.services and lethality.scoring."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from haven.lethality import scoring
from haven.lethality.models import ANSWER_FIELDS, Answer, SpokeWithHotline
from haven.lethality.services import TEXT_LIMIT, ScreenAnswers

# What the victim says must not stay in a phone's form history.
PRIVATE = {"autocomplete": "off"}


class _AnswerField(forms.ChoiceField):
    """Yes / no / not answered; nothing sent (no radio ticked) is "not answered"."""

    def __init__(self, number: int):
        super().__init__(
            choices=Answer.choices,
            widget=forms.RadioSelect,
            required=False,
            initial=Answer.NOT_ANSWERED,
            label=f"{number}. {scoring.QUESTIONS[number - 1]}",
        )

    def clean(self, value):
        return super().clean(value) or Answer.NOT_ANSWERED


class HotlineForm(forms.Form):
    hotline_called = forms.BooleanField(
        required=False, label=_("The domestic violence hotline was called")
    )
    victim_spoke_with_hotline = forms.ChoiceField(
        choices=SpokeWithHotline.choices,
        widget=forms.RadioSelect,
        initial=SpokeWithHotline.UNKNOWN,
        label=_("Did the victim speak with the hotline?"),
    )
    reason_not_spoke = forms.CharField(
        required=False,
        max_length=TEXT_LIMIT,
        label=_("If not, why not"),
        widget=forms.Textarea(PRIVATE | {"rows": 2}),
    )


class ScreenForm(HotlineForm):
    """The eleven questions, whether the victim declined, the open question, the screener's
    belief, and the hotline so far. Used on the case page and, with a prefix, inside the
    officer's referral form."""

    declined = forms.BooleanField(required=False, label=_("The victim declined to answer"))
    worries = forms.CharField(
        required=False,
        max_length=TEXT_LIMIT,
        label=scoring.OPEN_QUESTION,
        widget=forms.Textarea(PRIVATE | {"rows": 2}),
    )
    officer_belief = forms.BooleanField(
        required=False,
        label=_("I believe the victim is in a potentially lethal situation"),
    )
    field_order = [*ANSWER_FIELDS, "declined", "worries", "officer_belief"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, name in enumerate(ANSWER_FIELDS, start=1):
            self.fields[name] = _AnswerField(number)
        self.order_fields(self.field_order)
        # Not required here: the referral's screen is optional, and "unknown" is the default.
        self.fields["victim_spoke_with_hotline"].required = False

    def questions(self) -> list:
        return [self[name] for name in ANSWER_FIELDS]

    def screen(self) -> ScreenAnswers:
        """The cleaned answers as the service takes them."""
        data = self.cleaned_data
        return ScreenAnswers(
            answers=[data[name] for name in ANSWER_FIELDS],
            victim_answered=not data["declined"],
            worries=data["worries"],
            officer_belief=data["officer_belief"],
            hotline_called=data["hotline_called"],
            victim_spoke_with_hotline=data["victim_spoke_with_hotline"] or SpokeWithHotline.UNKNOWN,
            reason_not_spoke=data["reason_not_spoke"],
        )

    def given(self) -> bool:
        """Whether anything of a screen was entered (the referral's section is optional):
        an answer, "declined", the open question, the belief, or the hotline."""
        screen = self.screen()
        return (
            any(answer != Answer.NOT_ANSWERED for answer in screen.answers)
            or not screen.victim_answered
            or bool(screen.worries.strip())
            or screen.officer_belief
            or screen.hotline_called
            or screen.victim_spoke_with_hotline != SpokeWithHotline.UNKNOWN
            or bool(screen.reason_not_spoke.strip())
        )


# The service's names for what the form calls otherwise.
_FORM_NAME = {"victim_answered": "declined", "answers": None}


def take_screen_errors(form: ScreenForm, exc: ValidationError) -> ValidationError | None:
    """Put a service's errors that concern the screen on the screen form (under the form's
    names for them) and return the rest, for the form around it (None when nothing is left).
    The referral form holds a screen form: one service answers for both."""
    if not hasattr(exc, "error_dict"):
        return exc
    rest = {}
    for name, messages in exc.message_dict.items():
        field = _FORM_NAME.get(name, name)
        if name in _FORM_NAME or field in form.fields:
            form.add_error(field, messages)
        else:
            rest[name] = messages
    return ValidationError(rest) if rest else None
