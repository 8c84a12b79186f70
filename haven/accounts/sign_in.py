"""The sign-in shell: the home page each role lands on, the password re-confirmation before a
sensitive act (sudo mode), and the second sign-in step."""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from haven.accounts.passkeys import passkeys_of
from haven.accounts.second_factor import (
    authenticator_confirm,
    authenticator_for,
    second_factor_record,
)
from haven.core.middleware import client_ip
from haven.core.roles import Role
from haven.core.sudo import grant_sudo
from haven.sso.selectors import password_refused_by

HOME_BY_ROLE = {
    Role.ADVOCATE: "cases:caseload",
    Role.SUPERVISOR: "cases:list",
    Role.COORDINATOR: "cases:list",
    Role.OFFICER: "cases:served",
    Role.ANALYST: "reports:dashboard",
    Role.AUDITOR: "audit:log",
    Role.VOLUNTEER: "program:hours",
}


@login_required
def home(request):
    """Each role lands on the page it works from."""
    if request.actor is None:
        return render(request, "core/no_agency.html", status=403)
    return redirect(HOME_BY_ROLE[request.actor.role])


@login_required
def reconfirm(request):
    """Ask for the password again before a sensitive act (sudo mode)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if password_refused_by(request.user) is not None:
        # The agency signs its people in only through its identity provider: a Haven password
        # confirms nothing there, so the provider does it.
        return redirect(f"{reverse('sso:reconfirm')}?{urlencode({'next': next_url})}")
    error = ""
    if request.method == "POST":
        user = authenticate(
            request, username=request.user.get_username(), password=request.POST.get("password", "")
        )
        if user is not None and user.pk == request.user.pk:
            grant_sudo(request)
            return redirect(next_url)
        error = "That password is not right."
    return render(
        request,
        "accounts/reconfirm.html",
        {"next": next_url, "error": error},
        status=400 if error else 200,
    )


@login_required
def two_factor(request):
    """The second step: a passkey, the authenticator app's code, or a recovery code; with
    neither a passkey nor an app yet, enroll the app."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    passkeys = passkeys_of(request.user)
    device, enrolling = authenticator_for(request.user, enroll=not passkeys)
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").replace(" ", "")
        allowed = device.verify_is_allowed()[0] if device is not None else True
        if device is not None and allowed and device.verify_token(token):
            if enrolling:
                authenticator_confirm(device)
            otp_login(request, device)
            _audit_second_factor(request, "enrolled" if enrolling else "verified")
            if enrolling:  # offer recovery codes at once (haven.accounts)
                return redirect(
                    f"{reverse('accounts:recovery_codes')}?{urlencode({'next': next_url})}"
                )
            return redirect(next_url)
        # A recovery code (django-otp static token, single use) in place of the app's code.
        recovery = StaticDevice.objects.filter(user=request.user, confirmed=True).first()
        if not enrolling and recovery is not None and recovery.verify_token(token):
            otp_login(request, recovery)
            _audit_second_factor(request, "recovery code")
            return redirect(next_url)
        _audit_second_factor(request, "wrong code" if allowed else "throttled", failed=True)
        error = (
            "That code is not right. Codes change every 30 seconds: try the current one."
            if allowed
            else "Too many wrong codes. Wait a few seconds, then enter the current code."
        )
    context = {"next": next_url, "error": error, "enrolling": enrolling, "passkeys": passkeys}
    context["has_app"] = device is not None and not enrolling
    if enrolling:
        context["secret"] = b32encode(device.bin_key).decode()
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(request, "accounts/two_factor.html", context, status=400 if error else 200)


def _audit_second_factor(request, outcome: str, *, failed: bool = False) -> None:
    second_factor_record(user=request.user, outcome=outcome, ip=client_ip(request), failed=failed)
