"""The public help page (no sign-in, no cookies) and the coordinator's pages that edit it."""

from csp.constants import NONE, SELF
from csp.decorators import csp_replace
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from haven.agencies.roles import Perm
from haven.agencies.services import agency_quick_exit_set
from haven.core.decorators import staff_view
from haven.core.form_views import Page, form_view
from haven.core.scoping import agency_scope
from haven.public import selectors, services
from haven.public.forms import HelpSettingsForm, HelpTextForm
from haven.public.texts import CODES, LANGUAGES


# The site-wide policy (django-csp, settings.CONTENT_SECURITY_POLICY: only Haven's own files,
# no inline script), made stricter here: the page fetches nothing and posts nowhere.
@csp_replace({"connect-src": [NONE], "form-action": [SELF]})
@require_GET
def help_page(request, agency_slug: str, language: str | None = None):
    """/help/<slug>/ in the browser's language, /help/<slug>/<language>/ in the one chosen.
    The page reads no session and has no form, so it sets no cookie at all."""
    agency = selectors.public_agency(agency_slug)
    if agency is None or (language is not None and language not in CODES):
        raise Http404("No such page.")
    negotiated = language is None
    if negotiated:
        language = selectors.negotiate(request.headers.get("Accept-Language", ""))
    with agency_scope(agency):
        page = selectors.help_page(agency, language)
    response = render(request, "public/help.html", {"page": page, "t": page.t})
    response["Referrer-Policy"] = "same-origin"
    response["Content-Language"] = LANGUAGES[language]["lang"]
    response["Cache-Control"] = "no-store"
    if negotiated:
        patch_vary_headers(response, ["Accept-Language"])
    return response


def _settings_page(request) -> Page:
    agency = request.actor.agency
    rows = selectors.own_texts(agency)
    languages = [
        {
            "code": code,
            "name": meta["name"],
            "written": bool(rows.get(code) and (rows[code].about or rows[code].reach)),
            "edit_url": reverse(f"public:text_{code.replace('-', '_')}"),
        }
        for code, meta in LANGUAGES.items()
    ]
    public_url = request.build_absolute_uri(reverse("public:help", args=[agency.slug]))
    return Page("public/settings.html", {"languages": languages, "public_url": public_url})


@staff_view(Perm.AGENCY_CONFIGURE)
@require_http_methods(["GET", "POST"])
def help_settings(request):
    actor = request.actor
    if request.method == "POST":
        form = HelpSettingsForm(request.POST)
    else:
        current = selectors.page_settings(actor.agency)
        form = HelpSettingsForm(
            initial={"services": current.services, "quick_exit_url": actor.agency.quick_exit_url}
        )

    def save(d):
        services.help_services_save(actor=actor, services=d["services"])
        return agency_quick_exit_set(actor=actor, url=d["quick_exit_url"])

    return form_view(
        request,
        form,
        save,
        done="Help page settings saved.",
        then="public:settings",
        page=_settings_page(request),
    )


@staff_view(Perm.AGENCY_CONFIGURE)
@require_http_methods(["GET", "POST"])
def help_text_edit(request, language: str):
    if language not in CODES:
        raise Http404("No such language.")
    actor = request.actor
    if request.method == "POST":
        form = HelpTextForm(request.POST)
    else:
        row = selectors.own_texts(actor.agency).get(language)
        form = HelpTextForm(
            initial={"about": row.about, "reach": row.reach, "version": row.version}
            if row
            else {"version": 1}
        )
    meta = LANGUAGES[language]
    return form_view(
        request,
        form,
        lambda d: services.help_text_save(actor=actor, language=language, **d),
        done=f"Help page text in {meta['name']} saved.",
        then="public:settings",
        page=Page("public/text_form.html", {"language": language, "meta": meta}),
    )
