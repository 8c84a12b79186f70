"""Passkey pages: the person's list (add, remove) and the second sign-in step by passkey.

The browser half is SimpleWebAuthn's (node_modules/@simplewebauthn/browser, served as static)
driven by accounts/passkeys.js; these views hand it the options as JSON and take its answer.
"""

import base64
import json
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from haven.accounts import passkeys
from haven.accounts.second_factor import second_factor_record
from haven.core.form_views import action_view
from haven.core.middleware import client_ip
from haven.core.sudo import sudo_required

_CHALLENGE = "passkey_challenge"


def _keep(request, challenge: bytes) -> None:
    request.session[_CHALLENGE] = base64.b64encode(challenge).decode()


def _take(request) -> bytes | None:
    """The pending challenge, used once: taken out of the session whatever the outcome."""
    kept = request.session.pop(_CHALLENGE, None)
    return base64.b64decode(kept) if kept else None


def _body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _refused(error: ValidationError) -> JsonResponse:
    return JsonResponse({"error": " ".join(error.messages)}, status=400)


@login_required
def passkey_list(request):
    return render(
        request, "accounts/passkeys.html", {"passkeys": passkeys.passkeys_of(request.user)}
    )


def _challenge(request, make) -> JsonResponse:
    """Options for the browser's ceremony; their challenge waits in the session for the answer."""
    options, challenge = make(user=request.user, rp=passkeys.RelyingParty.of(request))
    _keep(request, challenge)
    return JsonResponse(json.loads(options))


@login_required
@require_POST
def passkey_add_options(request):
    return _challenge(request, passkeys.registration_options)


@login_required
@require_POST
def passkey_add(request):
    body = _body(request)
    try:
        device = passkeys.passkey_register(
            user=request.user,
            credential=body.get("credential") or {},
            challenge=_take(request),
            rp=passkeys.RelyingParty.of(request),
            name=str(body.get("name", "")),
            ip=client_ip(request),
        )
    except ValidationError as error:
        return _refused(error)
    if not request.user.is_verified():
        # The first device: this session has just proved it holds it, as enrolling the app does.
        otp_login(request, device)
    messages.success(
        request, f"Passkey “{device.name}” added. Haven will ask for it after your password."
    )
    return JsonResponse({"redirect": reverse("accounts:passkeys")})


@login_required
@require_POST
def passkey_remove(request, device_id: int):
    """Another person's passkey is not found; one's own is removed after the password again."""
    if not any(p.pk == device_id for p in passkeys.passkeys_of(request.user)):
        raise Http404
    return _remove(request, device_id)


@sudo_required
def _remove(request, device_id: int):
    remove = partial(passkeys.passkey_remove, user=request.user, ip=client_ip(request))
    return action_view(
        request,
        lambda: remove(device_id=device_id),
        done=gettext("Passkey removed."),
        then="accounts:passkeys",
    )


@login_required
@require_POST
def sign_in_options(request):
    return _challenge(request, passkeys.authentication_options)


@login_required
@require_POST
def sign_in_verify(request):
    """The second step by passkey: on success the session counts as verified (django-otp)."""
    body = _body(request)
    next_url = str(body.get("next") or "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    ip = client_ip(request)
    try:
        device = passkeys.passkey_verify(
            user=request.user,
            credential=body.get("credential") or {},
            challenge=_take(request),
            rp=passkeys.RelyingParty.of(request),
        )
    except ValidationError as error:
        second_factor_record(user=request.user, outcome="passkey refused", ip=ip, failed=True)
        return _refused(error)
    otp_login(request, device)
    second_factor_record(user=request.user, outcome="passkey", ip=ip)
    return JsonResponse({"redirect": next_url})
