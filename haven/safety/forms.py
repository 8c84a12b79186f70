"""Forms only parse input; the rules (sections, limits, languages, stale edits) live in
safety.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.people.models import LANGUAGES
from haven.safety import sections as plan_sections
from haven.safety.services import NOTE_LIMIT, SECTION_LIMIT


class RevisionForm(forms.Form):
    """One textarea per section, its prompts as the hint; the language to print in; a note on
    what changed; and the revision it started from (hidden), to catch a colleague's save."""

    language = forms.ChoiceField(
        label=_("Print it in"),
        help_text=_("The person's language: the headings are printed in it."),
    )
    note = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": NOTE_LIMIT}),
        help_text=_("For the history, e.g. “moved in with her sister”."),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    version_field = "based_on"  # the plan's version is its revision number (haven.core.versions)

    def __init__(self, *args, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        for section in plan_sections.sections():
            self.fields[section.key] = forms.CharField(
                label=section.heading,
                required=False,
                strip=False,
                help_text=" ".join(section.prompts),
                widget=forms.Textarea(attrs={"rows": 4, "maxlength": SECTION_LIMIT}),
            )
        choices = list(LANGUAGES)
        if language not in dict(choices):
            choices.append((language, language))
        self.fields["language"].choices = choices
        self.order_fields([key for key in plan_sections.SECTION_KEYS] + ["language", "note"])

    def section_fields(self):
        return [self[key] for key in plan_sections.SECTION_KEYS]

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key in plan_sections.SECTION_KEYS}
