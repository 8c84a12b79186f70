"""The coordinator's API token pages: the list, a new token (its secret shown once, after the
password again), and revoking one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from haven.agencies.roles import Perm
from haven.core.decorators import staff_view
from haven.core.forms import add_service_errors
from haven.core.sudo import sudo_required
from haven.integrations import selectors
from haven.integrations.access import access_api_token
from haven.integrations.forms import ApiTokenForm
from haven.integrations.services import api_token_create, api_token_revoke


@staff_view(Perm.AGENCY_CONFIGURE)
@require_http_methods(["GET"])
def api_tokens(request):
    return render(
        request,
        "integrations/api_tokens.html",
        {"tokens": selectors.api_tokens_for(request.actor)},
    )


@staff_view(Perm.AGENCY_CONFIGURE)
@sudo_required
def api_token_new(request):
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_token_create(actor=request.actor, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # Rendered, not redirected: the secret is never put in the session or a URL.
            response = render(
                request, "integrations/api_token_created.html", {"token": token, "secret": secret}
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "integrations/api_token_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@staff_view(Perm.AGENCY_CONFIGURE)
def api_token_revoke_view(request, token_id: int):
    """GET asks to confirm; POST revokes."""
    token = access_api_token(request.actor, token_id)
    error = ""
    if request.method == "POST":
        try:
            api_token_revoke(actor=request.actor, token=token)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"“{token.name}” is revoked: it no longer works.")
            return redirect("integrations:api_tokens")
    return render(
        request,
        "integrations/api_token_revoke.html",
        {"token": token, "error": error},
        status=400 if error else 200,
    )
