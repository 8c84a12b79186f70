"""The case page's panels that load only when opened: what a specialist rarely needs on every
visit. Each is an app's `_case_section.html` (named, not imported: those apps sit above
cases); the case page shows its heading in a <details> that fetches it when first opened
(htmx), or links to it alone without JavaScript."""

from dataclasses import dataclass

from haven.cases.forms import ContactForm, NoteForm, RelatedPersonForm, StatusForm, TaskForm


@dataclass(frozen=True)
class Panel:
    name: str
    title: str
    template: str


PANELS = (
    Panel("funding", "Emergency assistance", "funding/_case_section.html"),
    Panel("investigation", "Police investigation", "incidents/_case_section.html"),
    Panel("documents", "Documents", "documents/_case_section.html"),
    Panel("compensation", "Compensation and restitution", "compensation/_case_section.html"),
    Panel("releases", "Releases of information", "consent/_case_section.html"),
    Panel("justice", "Court and custody", "justice/_case_section.html"),
    Panel("referrals", "Partner referrals", "referrals/_case_section.html"),
    Panel("messages", "Messages to the victim", "notices/_case_section.html"),
    Panel("portal", "Status page", "portal/_case_section.html"),
)
BY_NAME = {panel.name: panel for panel in PANELS}


# The case page's forms, built only when shown: the one open (the contact form, or the one a
# submission with errors came back to), or any other when its section is opened (htmx to
# cases:form, or the case page with ?form=NAME without JavaScript). Each widget costs template
# rendering, and a specialist uses one form a visit.
FORMS = {
    "contact": ContactForm,
    "note": NoteForm,
    "task": TaskForm,
    "status": StatusForm,
    "person": RelatedPersonForm,
}


def blank_form(name: str, case):
    if name == "status":
        return StatusForm(initial={"status": case.status})
    return FORMS[name]()
