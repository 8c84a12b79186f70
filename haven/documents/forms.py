"""Forms only parse input; the rules (names, sizes, types, roles, consent) live in
documents.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.cases.models import NoteVisibility
from haven.documents.models import DocumentKind
from haven.documents.services import DESCRIPTION_LIMIT


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        # The service says why an empty file is refused, in Haven's words.
        allow_empty_file=True,
        help_text=_("PDF, a photo (JPEG, PNG, HEIC, TIFF), Word, OpenDocument text or plain text."),
    )
    kind = forms.ChoiceField(label=_("What it is"), choices=DocumentKind.choices)
    person = forms.TypedChoiceField(
        label=_("About"), coerce=int, required=False, empty_value=None, choices=()
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=NoteVisibility.choices,
        initial=NoteVisibility.PRIVILEGED,
        required=False,  # left out: privileged (shareable for a volunteer)
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": DESCRIPTION_LIMIT}),
    )
    victim_consented = forms.BooleanField(
        label=_("The victim agreed that this photo be kept"),
        required=False,
        help_text=_("Needed for a photo of an injury."),
    )

    def __init__(self, *args, people=None, privileged: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if people:
            self.fields["person"].choices = [("", _("The case"))] + [
                (p.pk, p.full_name) for p in people
            ]
        else:
            del self.fields["person"]
        if not privileged:
            self.fields["visibility"].choices = [
                c for c in NoteVisibility.choices if c[0] == NoteVisibility.SHAREABLE
            ]
            self.fields["visibility"].initial = NoteVisibility.SHAREABLE


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Why delete it"),
        widget=forms.TextInput(attrs={"maxlength": DESCRIPTION_LIMIT}),
    )
