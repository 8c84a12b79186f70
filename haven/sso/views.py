"""Single sign-on pages: the start from the sign-in page, the redirect to the agency's provider,
the callback, and the coordinator's settings page."""

import logging
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods
from joserfc.errors import JoseError

from haven.agencies.roles import Perm
from haven.core.decorators import staff_view
from haven.core.form_views import stale_edit_page
from haven.core.forms import add_service_errors, dataclass_from
from haven.core.middleware import client_ip
from haven.core.scoping import agency_scope
from haven.core.sudo import grant_sudo, sudo_required
from haven.core.two_factor import SSO_MFA_SESSION_KEY
from haven.core.versions import StaleEdit
from haven.sso.forms import SsoSettingsForm, SsoStartForm
from haven.sso.oidc import DiscoveryError, client_for, discover
from haven.sso.selectors import coordinators_of, enabled_provider, provider_of, providers_for
from haven.sso.services import (
    SsoRefused,
    SsoSettings,
    claims_show_mfa,
    refuse_protocol,
    sso_reconfirm,
    sso_settings_save,
    sso_sign_in,
)

log = logging.getLogger(__name__)
_NEXT_KEY = "sso_next"
_RECONFIRM_KEY = "sso_reconfirm"
# What a refused person reads, by the service's reason code.
REFUSALS = {
    "unmatched": "No member of {agency} has the email address your identity provider gave.",
    "ambiguous": "More than one member of {agency} has the email address your identity "
    "provider gave.",
    "email_unverified": "Your identity provider has not verified your email address.",
    "no_email": "Your identity provider did not give Haven your email address.",
    "no_subject": "Your identity provider did not say who you are.",
    "inactive": "Your place in {agency} is not active.",
    "subject_mismatch": "Your Haven account is linked to another account at your identity "
    "provider.",
    "reconfirm_mismatch": "The identity provider signed in someone other than you, or did not "
    "ask for your sign-in again.",
}


def callback_uri(request, slug: str) -> str:
    """The redirect URI to register at the provider: on SITE_URL when set, else as requested."""
    path = reverse("sso:callback", args=[slug])
    if settings.SITE_URL_SET:
        return settings.SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


def _safe_next(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@require_http_methods(["GET", "POST"])
def sso_start(request):
    """From the sign-in page: a work email or an agency's code, to that agency's provider."""
    if request.method == "GET":
        next_url = _safe_next(request, request.GET.get("next", ""))
        return render(request, "sso/start.html", {"form": SsoStartForm(), "next": next_url})
    form = SsoStartForm(request.POST)
    providers = providers_for(form.cleaned_data["entry"]) if form.is_valid() else []
    next_url = _safe_next(request, request.POST.get("next", ""))
    if len(providers) == 1:
        query = {"next": next_url} if next_url else {}
        entry = form.cleaned_data["entry"].strip()
        if "@" in entry:
            query["login_hint"] = entry
        url = reverse("sso:login", args=[providers[0].agency.slug])
        return redirect(f"{url}?{urlencode(query)}" if query else url)
    if form.is_valid() and not providers:
        form.add_error(
            "entry",
            gettext(
                "No agency signs in through its own identity provider with that email or code. "
                "Check it, or sign in with your Haven user name and password."
            ),
        )
    return render(
        request,
        "sso/start.html",
        {"form": form, "providers": providers, "next": next_url},
        status=200 if providers else 400,
    )


@require_http_methods(["GET"])
def sso_login(request, slug):
    """Send the browser to the agency's provider (authorization code with PKCE)."""
    provider = enabled_provider(slug)
    if provider is None:
        return render(request, "sso/unknown.html", status=404)
    try:
        client = client_for(provider, discover(provider.issuer))
    except DiscoveryError as exc:
        log.warning("SSO discovery failed for agency %s: %s", provider.agency_id, exc)
        return render(request, "sso/unavailable.html", {"agency": provider.agency}, status=503)
    request.session[_NEXT_KEY] = _safe_next(request, request.GET.get("next", ""))
    extra = {}
    login_hint = request.GET.get("login_hint", "").strip()
    if login_hint and len(login_hint) <= 254:
        extra["login_hint"] = login_hint
    return client.authorize_redirect(request, callback_uri(request, slug), **extra)


@require_http_methods(["GET"])
def sso_callback(request, slug):
    """The provider sends the browser back here with a code: exchange it, validate the ID
    token, and sign the person in to the membership it matches, or refuse and say why."""
    provider = enabled_provider(slug)
    if provider is None:
        return render(request, "sso/unknown.html", status=404)
    ip = client_ip(request)
    try:
        client = client_for(provider, discover(provider.issuer))
        token = client.authorize_access_token(request)
        claims = token.get("userinfo")
        if not claims:
            raise AuthlibBaseError(error="no_id_token", description="no ID token was returned")
    except DiscoveryError as exc:
        log.warning("SSO discovery failed for agency %s: %s", provider.agency_id, exc)
        return render(request, "sso/unavailable.html", {"agency": provider.agency}, status=503)
    except (AuthlibBaseError, JoseError, requests.RequestException, ValueError) as exc:
        error = getattr(exc, "error", "") or exc.__class__.__name__
        refuse_protocol(provider=provider, error=str(error), ip=ip)
        return render(
            request, "sso/failed.html", {"agency": provider.agency, "slug": slug}, status=400
        )
    pending = request.session.pop(_RECONFIRM_KEY, None)
    if pending is not None:
        return _reconfirmed(request, provider, claims, pending)
    try:
        # Signed out, so no scope yet: this view enters the agency's scope itself.
        with agency_scope(provider.agency):
            membership = sso_sign_in(
                provider=provider,
                claims=dict(claims),
                ip=ip,
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
    except SsoRefused as refused:
        return render(
            request,
            "sso/refused.html",
            {
                "agency": refused.agency,
                "message": REFUSALS.get(refused.reason, "").format(agency=refused.agency.name),
                "coordinators": coordinators_of(refused.agency),
            },
            status=403,
        )
    next_url = request.session.pop(_NEXT_KEY, "")
    login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["agency_id"] = membership.agency_id
    if claims_show_mfa(claims):
        # The provider checked several factors: that stands for Haven's second step.
        request.session[SSO_MFA_SESSION_KEY] = True
    else:
        # Never carried over from an earlier sign-in in this session.
        request.session.pop(SSO_MFA_SESSION_KEY, None)
    return redirect(_safe_next(request, next_url) or "home")


@staff_view()
def sso_reconfirm_start(request):
    """Sudo mode through the agency's provider: a fresh sign-in there (prompt=login, max_age=0)
    stands for re-typing a Haven password."""
    provider = enabled_provider(request.actor.agency.slug)
    next_url = _safe_next(request, request.GET.get("next", "")) or "/"
    if provider is None:
        return redirect(f"{reverse('reconfirm')}?{urlencode({'next': next_url})}")
    try:
        client = client_for(provider, discover(provider.issuer))
    except DiscoveryError:
        return render(request, "sso/unavailable.html", {"agency": provider.agency}, status=503)
    request.session[_RECONFIRM_KEY] = {"next": next_url, "user_id": request.user.pk}
    extra = {"prompt": "login", "max_age": 0}
    if request.user.email:
        extra["login_hint"] = request.user.email
    return client.authorize_redirect(request, callback_uri(request, provider.agency.slug), **extra)


def _reconfirmed(request, provider, claims, pending):
    actor = request.actor
    if (
        actor is None
        or actor.agency.pk != provider.agency_id
        or (pending.get("user_id") != request.user.pk)
    ):
        return render(
            request,
            "sso/failed.html",
            {"agency": provider.agency, "slug": provider.agency.slug},
            status=400,
        )
    try:
        sso_reconfirm(actor=actor, provider=provider, claims=dict(claims))
    except SsoRefused as refused:
        return render(
            request,
            "sso/refused.html",
            {
                "agency": refused.agency,
                "message": REFUSALS[refused.reason],
                "coordinators": coordinators_of(refused.agency),
            },
            status=403,
        )
    grant_sudo(request)
    return redirect(_safe_next(request, pending.get("next", "")) or "/")


@staff_view(Perm.AGENCY_CONFIGURE)
@sudo_required
def sso_settings(request):
    """The coordinator's page for the agency's identity provider."""
    actor = request.actor
    provider = provider_of(actor.agency)
    if request.method == "POST":
        form = SsoSettingsForm(request.POST)
        if form.is_valid():
            try:
                sso_settings_save(
                    actor=actor,
                    settings=dataclass_from(SsoSettings, form.cleaned_data),
                    version=form.cleaned_data["version"],
                )
            except StaleEdit as exc:
                # the secret is neither shown nor compared (the stored one is never shown)
                del form.fields["client_secret"]
                return stale_edit_page(request, form, exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("Single sign-on saved."))
                return redirect("sso:settings")
        status = 400
    else:
        initial = {"allow_local_passwords": True, "version": 1}
        if provider is not None:
            initial = {
                "issuer": provider.issuer,
                "client_id": provider.client_id,
                "email_domains": provider.email_domains,
                "enabled": provider.enabled,
                "allow_local_passwords": provider.allow_local_passwords,
                "version": provider.version,
            }
        form = SsoSettingsForm(initial=initial)
        status = 200
    return render(
        request,
        "sso/settings.html",
        {
            "form": form,
            "provider": provider,
            "redirect_uri": callback_uri(request, actor.agency.slug),
            "login_url": request.build_absolute_uri(reverse("sso:login", args=[actor.agency.slug])),
        },
        status=status,
    )
