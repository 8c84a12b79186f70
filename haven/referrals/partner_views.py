"""The partner's own pages behind their link (no sign-in): the referral and their answer, and a
document the person's release lets them have. In the partner's language (partner_words.py):
the switcher's `?lang=`, else the browser's Accept-Language; every link and the form keep it."""

from django.conf.locale import LANG_INFO
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from haven.agencies.models import Agency
from haven.core.decorators import secret_address
from haven.core.forms import add_service_errors
from haven.core.middleware import client_ip
from haven.core.scoping import agency_scope
from haven.referrals import partner
from haven.referrals.forms import PartnerAnswerForm
from haven.referrals.models import WITH_PARTNER
from haven.referrals.partner_words import LANGUAGES, TEXT, filled, partner_language, switcher
from haven.referrals.services import partner_actor


class _Visit:
    """Who is asking, where, and in which language: what every partner page starts from."""

    def __init__(self, request, partner_agency: str):
        # A suspended agency (haven.platform) answers as if the link did not exist.
        self.agency = Agency.objects.filter(slug=partner_agency, is_active=True).first()
        if self.agency is None:
            raise Http404("No such page.")
        self.request = request
        self.language = partner_language(
            request.GET.get("lang"), request.headers.get("Accept-Language", "")
        )
        self.t = TEXT[self.language]
        self.actor = partner_actor(
            self.agency, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
        )

    def render(
        self, template: str, context: dict, status: int = 200, values: dict | None = None
    ) -> HttpResponse:
        """The page in the visit's language; `values` fill the sentences' placeholders."""
        base = {
            "agency": self.agency,
            "language": self.language,
            "rtl": LANGUAGES[self.language]["dir"] == "rtl",
            "t": filled(self.t, agency=self.agency.name, **(values or {})),
            "languages": switcher(self.request.path, self.language),
        }
        return self.private(render(self.request, template, base | context, status=status))

    def private(self, response: HttpResponse) -> HttpResponse:
        """The page in the switcher's or the browser's language; the views' secret_address
        keeps the token in the address from leaving the site, being stored or indexed."""
        response["Content-Language"] = self.language
        patch_vary_headers(response, ["Accept-Language"])
        return response

    def live_link(self, token: str):
        """The live link, or the page that says why not (too many guesses: 429; else 404)."""
        if partner.too_many_guesses(self.actor):
            return None, self.render("referrals/partner_gone.html", {"busy": True}, status=429)
        link = partner.partner_link(actor=self.actor, token=token)
        if link is None:
            return None, self.render("referrals/partner_gone.html", {}, status=404)
        return link, None


@never_cache
@secret_address
@require_http_methods(["GET", "POST"])
def partner_view(request, partner_agency: str, referral_token: str):
    """The partner's page behind their link. The agency comes from the address, the link from
    the token's digest within that agency; every view and answer asks the consent gate."""
    visit = _Visit(request, partner_agency)
    # Django's own words (a choice not offered, a note too long) in the page's language too.
    with (
        agency_scope(visit.agency),
        timezone.override(visit.agency.tz),
        translation.override(visit.language),
    ):
        link, refused = visit.live_link(referral_token)
        if refused:
            return refused
        return _answer_page(request, visit, link, referral_token)


def _answer_page(request, visit: _Visit, link, token: str) -> HttpResponse:
    answered = request.GET.get("answered") == "1"
    form = PartnerAnswerForm(request.POST or None, referral=link.referral, words=visit.t)
    if request.method == "POST" and form.is_valid():
        try:
            done = partner.partner_answer(
                actor=visit.actor,
                link=link,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if done:
                link.referral.refresh_from_db()
                if link.referral.status in WITH_PARTNER:
                    return visit.private(
                        redirect(f"{request.path}?lang={visit.language}&answered=1")
                    )
                # The answer ended the referral, and with it the link: thank them here.
                answered = True
    page = partner.partner_page(actor=visit.actor, link=link)
    if page.state == "open" and request.method != "POST":
        form = PartnerAnswerForm(referral=page.referral, words=visit.t)
    for document in page.documents:
        document.partner_name = visit.t["documents_kinds"].get(document.kind, document.kind)
    referral = page.referral
    status = visit.t["statuses"].get(referral.status, referral.status)
    person = page.person
    return visit.render(
        "referrals/partner.html",
        {
            "page": page,
            "referral": referral,
            "form": form,
            "answered": answered,
            "token": token,
            "status": status,
            "urgency": visit.t["urgency"].get(referral.urgency, ""),
            "speaks": _language_name(person.preferred_language) if person else "",
            "answer_url": f"{request.path}?lang={visit.language}",
            "document_query": f"?lang={visit.language}",
        },
        values={
            "organization": referral.organization.name,
            "service": referral.service.name,
            "status": status,
            "name": referral.created_by.display_name if referral.created_by else visit.agency.name,
            "preferred": getattr(person, "preferred_name", ""),
            "n": page.documents_withheld,
        },
    )


def _language_name(code: str) -> str:
    """A person's language named in itself ("Español", "Polski"): readable in any page language."""
    info = LANG_INFO.get(code) or LANG_INFO.get(code.split("-")[0]) or {}
    return info.get("name_local", code)


@never_cache
@secret_address
@require_http_methods(["GET"])
def partner_document(request, partner_agency: str, referral_token: str, document_id: int):
    """One document of the referral behind the partner's link: handed out only while the
    person's release covers sharing documents with this partner (asked now); refused with a
    page that says so (403). Audited either way."""
    visit = _Visit(request, partner_agency)
    with agency_scope(visit.agency), timezone.override(visit.agency.tz):
        link, refused = visit.live_link(referral_token)
        if refused:
            return refused
        try:
            shared = partner.partner_document(actor=visit.actor, link=link, document_id=document_id)
        except PermissionDenied:
            back = reverse("referrals:partner", args=[visit.agency.slug, referral_token])
            return visit.render(
                "referrals/partner_document_refused.html",
                {"back_url": f"{back}?lang={visit.language}"},
                status=403,
            )
    response = HttpResponse(shared.data, content_type=shared.content_type)
    response["Content-Disposition"] = f'attachment; filename="{shared.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return visit.private(response)
