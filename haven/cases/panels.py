"""The case page's panels that load only when opened: what a specialist rarely needs on every
visit. Each is an app's `_case_section.html` (named, not imported: those apps sit above
cases); the case page shows its heading in a <details> that fetches it when first opened
(htmx), or links to it alone without JavaScript."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.cases.forms import ContactForm, NoteForm, RelatedPersonForm, StatusForm, TaskForm
from haven.cases.hooks import case_page_url


@dataclass(frozen=True)
class Panel:
    name: str
    title: str | Promise
    template: str
    anchor: str  # the id of the section the panel's template shows


PANELS = (
    Panel(
        "funding", _("Emergency assistance"), "funding/_case_section.html", "emergency-assistance"
    ),
    Panel(
        "investigation", _("Police investigation"), "incidents/_case_section.html", "investigation"
    ),
    Panel("documents", _("Documents"), "documents/_case_section.html", "documents"),
    Panel(
        "compensation",
        _("Compensation and restitution"),
        "compensation/_case_section.html",
        "compensation",
    ),
    Panel("releases", _("Releases of information"), "consent/_case_section.html", "releases"),
    Panel("justice", _("Court and custody"), "justice/_case_section.html", "justice"),
    Panel("referrals", _("Partner referrals"), "referrals/_case_section.html", "referrals"),
    Panel("messages", _("Messages to the victim"), "notices/_case_section.html", "messages"),
    Panel("portal", _("Status page"), "portal/_case_section.html", "portal"),
)
BY_NAME = {panel.name: panel for panel in PANELS}


def panel_url(case_id: int, name: str) -> str:
    """The case page with panel `name` open and in view: where an action taken in that panel
    goes back to (its section's anchor exists only once the panel is open)."""
    return panel_urls(name)(case_id)


def panel_urls(name: str) -> Callable[[int], str]:
    """`url(case_id)` of `panel_url`, the address reversed once for a whole list of cases."""
    case_url = case_page_url()
    suffix = f"?panel={name}#{BY_NAME[name].anchor}"
    return lambda case_id: case_url(case_id) + suffix


# Read with the case on the case page (cases.access.access_case's `related`), each a one-to-one
# that a section would otherwise fetch on its own: the follow-up plan and its rule
# (followup.selectors.case_plan); and the case page's stamp (cases/page_cache.py), read in the
# same statement as the case and so never after any row the page shows.
CASE_PAGE_RELATED = ("followup_plan__rule", "page_stamp")


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
