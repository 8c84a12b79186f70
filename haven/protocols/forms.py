"""Forms parse input only; the rules are in services and validation.py."""

from django import forms
from django.utils.translation import gettext_lazy

from haven.core.forms import VersionField
from haven.lib.reference import choices
from haven.protocols.validation import ROLES, StepData


class StepForm(forms.Form):
    key = forms.SlugField(
        max_length=40, label=gettext_lazy("Key"), help_text=gettext_lazy("Short, e.g. next-of-kin")
    )
    title = forms.CharField(max_length=200)
    role = forms.ChoiceField(
        choices=[("", "Choose")] + list(ROLES.items()),
        label=gettext_lazy("Who does it"),
        required=False,
    )
    after = forms.SlugField(
        max_length=40,
        required=False,
        label=gettext_lazy("After step (key)"),
        help_text=gettext_lazy("Empty: counted from the protocol's start"),
    )
    due_hours = forms.IntegerField(label=gettext_lazy("Due (hours after)"))
    services = forms.CharField(
        max_length=200,
        required=False,
        label=gettext_lazy("Services (PMT codes)"),
        help_text=gettext_lazy("e.g. B2, C1"),
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def step(self) -> StepData:
        d = self.cleaned_data
        codes = [c.strip().upper() for c in d["services"].replace(";", ",").split(",")]
        return StepData(
            key=d["key"],
            title=d["title"],
            role=d["role"],
            after=d["after"] or "",
            due_hours=d["due_hours"],
            services=[c for c in codes if c],
            notes=d["notes"],
        )


StepFormSet = forms.formset_factory(StepForm, extra=2, can_delete=True)


class TemplateForm(forms.Form):
    name = forms.CharField(max_length=120)
    key = forms.SlugField(max_length=40, help_text=gettext_lazy("A short name outreach rules use"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    victimizations = forms.MultipleChoiceField(
        choices=choices("pmt", "victimization_types"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=gettext_lazy("Start it on cases of these victimization types"),
    )
    sources = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("One a line: title | address"),
    )
    is_active = forms.BooleanField(required=False, initial=True, label=gettext_lazy("In use"))
    version = VersionField()

    def source_list(self) -> list[dict]:
        found = []
        for line in self.cleaned_data["sources"].splitlines():
            title, _, url = line.partition("|")
            if title.strip():
                found.append({"title": title.strip(), "url": url.strip()})
        return found


def sources_text(sources: list[dict]) -> str:
    return "\n".join(f"{s.get('title', '')} | {s.get('url', '')}" for s in sources)


class StartForm(forms.Form):
    template = forms.IntegerField()


class StepDoneForm(forms.Form):
    note = forms.CharField(max_length=2000, required=False)


class StepSkipForm(forms.Form):
    reason = forms.CharField(max_length=200, label=gettext_lazy("Why is it skipped?"))
