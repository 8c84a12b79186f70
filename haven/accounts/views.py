"""Pages of the accounts app: signing in and choosing an agency, invitation links, passwords,
recovery codes (the coordinator's Team page is in team_views.py). Each is a thin caller of
services.py."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.accounts import selectors, services
from haven.accounts.forms import (
    HavenPasswordResetForm,
    InvitationPasswordForm,
    LanguageForm,
    SignInForm,
)
from haven.accounts.models import OPERATOR
from haven.accounts.passkeys import passkeys_of
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.decorators import staff_view
from haven.core.forms import add_service_errors
from haven.core.middleware import client_ip
from haven.core.navigation import next_or, site_root
from haven.sso.selectors import password_refused_by

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _after_sign_in(request, user, default: str) -> str:
    """Where a person goes once signed in: their only agency, a choice of several, or (an
    operator) the agencies of the installation."""
    memberships = selectors.memberships_of(user)
    if len(memberships) == 1:
        request.session["agency_id"] = memberships[0].agency_id
        return default
    if len(memberships) > 1:
        return f"{reverse('accounts:agency_pick')}?{urlencode({'next': default})}"
    if selectors.is_operator(user):
        return reverse("platform:agencies")
    return default


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        super().form_valid(form)
        return HttpResponseRedirect(
            _after_sign_in(self.request, form.get_user(), self.get_success_url())
        )

    def form_invalid(self, form):
        refused = getattr(form, "refused_user", None)
        if refused is not None:
            audit_record(
                actor=None,
                action=AuditAction.SIGN_IN_REFUSED,
                actor_label=refused.get_username(),
                ip=client_ip(self.request),
            )
        return super().form_invalid(form)


@login_required
def agency_pick(request):
    """A person in several agencies chooses the one to work in (and may switch later)."""
    memberships = selectors.memberships_of(request.user)
    if request.method == "POST":
        chosen = next(
            (m for m in memberships if str(m.agency_id) == request.POST.get("agency")), None
        )
        if chosen is not None:
            request.session["agency_id"] = chosen.agency_id
            audit_record(
                actor=None,
                action=AuditAction.AGENCY_PICK,
                agency_id=chosen.agency_id,
                actor_label=request.user.get_username(),
                ip=client_ip(request),
            )
            return redirect(next_or(request, reverse("home")))
        messages.error(request, gettext("Choose one of your agencies."))
    return render(
        request,
        "accounts/agency_pick.html",
        {"memberships": memberships, "next": next_or(request, "")},
        status=400 if request.method == "POST" else 200,
    )


def _link_gone(request, token, invitation, message: str, *, status: int):
    return render(
        request,
        "accounts/invitation_gone.html",
        {
            "message": message,
            "token": token,
            "may_renew": invitation is not None and services.invitation_may_renew(invitation),
        },
        status=status,
    )


def invitation(request, token: str):
    """The link in an invitation: choose a password, then sign in (and enroll the second step
    where the agency requires it). A used, expired or withdrawn link says so."""
    found = selectors.invitation_for_token(token)
    if found is None:
        return _link_gone(
            request,
            token,
            None,
            "This link is not valid. Check that it was copied whole, or ask your unit's "
            "coordinator for a new one.",
            status=404,
        )
    refusal = services.invitation_refusal(found)
    if refusal:
        return _link_gone(request, token, found, refusal, status=410)
    needs_password = not found.user.has_usable_password()
    form = InvitationPasswordForm(found.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and (not needs_password or form.is_valid()):
        password = form.cleaned_data.get("new_password1") if needs_password else None
        try:
            user = services.invitation_accept(
                invitation=found, password=password, ip=client_ip(request)
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _link_gone(request, token, found, " ".join(exc.messages), status=410)
            add_service_errors(form, exc)
        else:
            if not needs_password:
                messages.success(
                    request, f"You now belong to {found.agency}: sign in and choose it."
                )
                logout(request)
                return redirect("login")
            logout(request)
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, gettext("Your password is set. Welcome to Haven."))
            if found.role == OPERATOR:
                return redirect("platform:agencies")
            request.session["agency_id"] = found.agency_id
            return redirect("home")
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": found, "form": form, "needs_password": needs_password},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def invitation_renew(request, token: str):
    found = selectors.invitation_for_token(token)
    if found is None:
        return _link_gone(request, token, None, "This link is not valid.", status=404)
    try:
        services.invitation_renew(
            invitation=found, ip=client_ip(request), base_url=site_root(request)
        )
    except ValidationError as exc:
        return _link_gone(request, token, found, " ".join(exc.messages), status=410)
    return render(request, "accounts/invitation_renewed.html", {"email": found.email})


@login_required
def security(request, language_form=None):
    """The person's own sign-in: password, two-step sign-in, recovery codes."""
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return render(
        request,
        "accounts/security.html",
        {
            "has_app": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
            "passkey_count": len(passkeys_of(request.user)),
            "sso_only": password_refused_by(request.user),
            "codes_left": StaticToken.objects.filter(device__user=request.user).count(),
            "memberships": selectors.memberships_of(request.user),
            "language_form": language_form
            or LanguageForm(
                initial={"language": getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)}
            ),
        },
        status=400 if language_form is not None else 200,
    )


@require_POST
@staff_view()
def language(request):
    """The member chooses the language of their screens (docs/translation.md)."""
    form = LanguageForm(request.POST)
    if form.is_valid():
        try:
            services.member_language_set(
                actor=request.actor, language=form.cleaned_data["language"]
            )
        except ValidationError as exc:
            form.add_error("language", exc)
        else:
            translation.activate(form.cleaned_data["language"])
            messages.success(request, _("Your screens are now in this language."))
            return redirect("accounts:security")
    return security(request, language_form=form)


@login_required
def recovery_codes(request):
    """Make (or replace) recovery codes: shown once, on the answer to the POST."""
    codes, error = None, ""
    if request.method == "POST":
        try:
            codes = services.recovery_codes_make(user=request.user, ip=client_ip(request))
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "error": error, "next": next_or(request, reverse("home"))},
        status=400 if error else 200,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change your password: the old one first (Django's form), then the new one twice. Not
    where the agency signs its people in only through its identity provider."""

    success_url = reverse_lazy("accounts:password_change_done")

    def dispatch(self, request, *args, **kwargs):
        provider = password_refused_by(request.user) if request.user.is_authenticated else None
        if provider is not None:
            messages.info(request, _sso_only_message(provider))
            return redirect("accounts:security")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_change_record(user=form.user, ip=client_ip(self.request))
        return response


MAIL_DOWN = (
    "Haven could not send the email just now: the mail server did not answer. Nothing was "
    "changed. Try again in a few minutes, or ask your coordinator to send you a new invitation."
)


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by email: the same answer whether or not the address is known;
    past the hourly limits nothing is sent (and the answer is still the same)."""

    form_class = HavenPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):
        users = list(form.get_users(form.cleaned_data["email"]))
        ip = client_ip(self.request)
        user = users[0] if users else None
        send = (
            user is not None
            and password_refused_by(user) is None
            and services.password_reset_allowed(user=user, ip=ip)
        )
        if send:
            super().form_valid(form)  # sent at once: the person is waiting for it
            if form.mail_failed:  # never an error page, never "sent" when it was not
                services.password_reset_record(user=user, ip=ip, sent=False)
                form.add_error(None, MAIL_DOWN)
                return self.render_to_response(self.get_context_data(form=form))
        services.password_reset_record(user=user, ip=ip, sent=send)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link in the reset mail: works once (it is tied to the current password), not for a
    deactivated member or a suspended agency; a bad link says so and offers a new one."""

    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        self.refusal = selectors.sign_in_refusal(user) if user is not None else ""
        provider = password_refused_by(user) if user is not None else None
        if provider is not None and not self.refusal:
            self.refusal = _sso_only_message(provider)
        return None if self.refusal else user

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_done_record(user=form.user, ip=client_ip(self.request))
        return response

    def render_to_response(self, context, **kwargs):
        if not context.get("validlink"):
            context["refusal"] = getattr(self, "refusal", "")
            kwargs["status"] = 404
        return super().render_to_response(context, **kwargs)


def _sso_only_message(provider) -> str:
    return (
        f"{provider.agency.name} signs its people in through its own identity provider: "
        "a Haven password is not used, so there is none to change or reset. Ask your "
        "department's IT help desk about your work password."
    )
