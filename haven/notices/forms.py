from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.forms import VersionField
from haven.notices.models import (
    EDITABLE_SETTINGS,
    AutoKind,
    AutoMode,
    NoticeSettings,
    OptOutChannel,
)


class SendForm(forms.Form):
    person = forms.TypedChoiceField(label=_("To"), coerce=int)
    subject = forms.CharField(max_length=150, required=False, label=_("Subject (email only)"))
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "Sent as written, over the person's safe channels. Keep it short for texts; "
            "never include details of the crime."
        ),
    )

    def __init__(self, *args, people=(), **kwargs):
        # The case page holds many forms: ids of its own keep labels pointing at this one.
        kwargs.setdefault("auto_id", "msg_%s")
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.full_name) for p in people]


class OptOutForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(choices=OptOutChannel.choices)
    action = forms.ChoiceField(choices=[("out", _("Opt out")), ("in", _("Opt back in"))])


class SettingsForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = NoticeSettings
        fields = list(EDITABLE_SETTINGS)
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "quiet_start": "No email or text goes out from this time (agency time)...",
            "quiet_end": "...until this time. Messages wait and go out then.",
            "investigation_status_dv": "Held: the message waits on the case until the "
            "specialist sends it. A text says only that there is an update.",
            "sms_sender": "The number texts come from; empty uses the server's HAVEN_SMS_FROM.",
            "first_contact_warn_hours": "The specialist's warning, in their digest. The goal "
            "itself (set on the agency page) warns the supervisors when it passes.",
            "resolution_warn_days": "Before the resolution goal set on the reports' goals page.",
        }

    # A form posted without them (an older page, a script) keeps what is set.
    KEPT_WHEN_MISSING = (
        "investigation_status_dv",
        "investigation_status_other",
        "first_contact_warn_hours",
        "resolution_warn_days",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.KEPT_WHEN_MISSING:
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in self.KEPT_WHEN_MISSING:
            if cleaned.get(name) in (None, ""):
                cleaned[name] = getattr(self.instance, name)
        return cleaned


class AutomaticForm(forms.Form):
    """One choice (send / hold / off) per automatic message and victimization type; the fields
    are named `<kind>__<victimization>`."""

    def __init__(self, *args, table: dict, types: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for code, label in types:
            row = []
            for kind in AutoKind:
                name = f"{kind.value}__{code}"
                self.fields[name] = forms.ChoiceField(
                    label=f"{kind.label}: {label}",
                    choices=AutoMode.choices,
                    initial=table[(kind.value, code)],
                )
                row.append(name)
            self.rows.append((label, [self[name] for name in row]))

    def modes(self) -> dict:
        return {tuple(name.split("__", 1)): value for name, value in self.cleaned_data.items()}
