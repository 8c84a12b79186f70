"""The referral forms. Choices that depend on the case (who may be referred) are given when the
form is made; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.consent.models import DataCategory
from haven.partners import needs
from haven.referrals.models import ANSWERS, ReferralStatus, Urgency
from haven.referrals.selectors import WAITING_DAYS
from haven.referrals.services import ANSWER_LIMIT, MESSAGE_LIMIT, SHAREABLE

SHARE_CHOICES = [(c.value, c.label) for c in DataCategory if c.value in SHAREABLE]
ANSWER_CHOICES = [
    (s.value, s.label)
    for s in ReferralStatus
    if any(s.value in targets for targets in ANSWERS.values())
]


class SearchForm(forms.Form):
    """Find a partner service for the person: by need, language and place."""

    need = forms.ChoiceField(choices=[("", _("Any need")), *needs.choices()], required=False)
    language = forms.CharField(
        required=False, max_length=8, help_text=_("A language code, e.g. es for Spanish.")
    )
    place = forms.CharField(required=False, max_length=80, help_text=_("A city or ZIP code."))
    text = forms.CharField(required=False, max_length=100, label=_("Words"))


class ReferralForm(forms.Form):
    person = forms.TypedChoiceField(coerce=int, label=_("Who is referred"))
    need = forms.ChoiceField(choices=needs.choices, label=_("What they need"))
    urgency = forms.ChoiceField(choices=Urgency.choices, initial=Urgency.ROUTINE)
    categories = forms.MultipleChoiceField(
        choices=SHARE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label=_("What the partner may see"),
        help_text=_("Only what the person's release of information covers is ever shown."),
        initial=["identity", "contact", "service_needs"],
    )
    message = forms.CharField(
        required=False,
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Message to the partner"),
        help_text=(
            _(
                "Shown on the partner's page with the service needs, while consent is in force; "
                "never in the email. Write only what the person agreed to share."
            )
        ),
    )

    documents = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Documents to include"),
        help_text=_(
            "Shareable documents on this case. The partner sees each only while the person's "
            "release covers sharing documents with them."
        ),
    )

    def __init__(self, *args, people=(), documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, label) for p, label in people]
        self.fields["documents"].choices = [
            (d.pk, f"{d.get_kind_display()}: {d.name}") for d in documents
        ]
        if not documents:
            del self.fields["documents"]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(choices=ANSWER_CHOICES, label=_("The partner's answer"))
    note = forms.CharField(
        required=False,
        max_length=ANSWER_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("What they said"),
        help_text=_("Required when they decline: why."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        max_length=ANSWER_LIMIT, widget=forms.Textarea(attrs={"rows": 2}), label=_("Why")
    )


class WaitingForm(forms.Form):
    days = forms.IntegerField(
        min_value=0,
        max_value=365,
        required=False,
        initial=WAITING_DAYS,
        label=_("Waiting at least (days)"),
    )


class PartnerAnswerForm(forms.Form):
    """The partner's answer on their page: the steps that follow the referral's status, in the
    page's words (partner_words.TEXT[language]); the page writes its own labels."""

    status = forms.ChoiceField(widget=forms.Select(attrs={"class": "usa-select"}))
    note = forms.CharField(
        required=False,
        max_length=ANSWER_LIMIT,
        widget=forms.Textarea(
            attrs={"rows": 3, "class": "usa-textarea", "aria-describedby": "note-hint"}
        ),
    )

    def __init__(self, *args, referral, words: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.words = words
        self.fields["status"].choices = [
            (value, words["statuses"].get(value, label)) for value, label in referral.next_answers
        ]

    def clean(self):
        data = super().clean()
        declined = data.get("status") == ReferralStatus.DECLINED
        if declined and not (data.get("note") or "").strip():
            self.add_error("note", self.words["why_declined"])
        return data
