"""The provider's routes: DOT's /o/ (discovery, authorize, token, JWKS, userinfo), a sign-in
page, and /seed/ where the tests put users and the client (guarded by IDP_SEED_TOKEN)."""

import hmac
import json
import os

from django.contrib.auth import views as auth_views
from django.contrib.auth.models import Group, User
from django.http import HttpResponseForbidden, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oauth2_provider.models import Application

from tests.idp import state


@csrf_exempt
@require_POST
def seed(request):
    token = request.headers.get("X-Seed-Token", "")
    if not hmac.compare_digest(token, os.environ["IDP_SEED_TOKEN"]):
        return HttpResponseForbidden()
    data = json.loads(request.body)
    for spec in data.get("users", []):
        user, _ = User.objects.get_or_create(username=spec["username"])
        user.email = spec["email"]
        user.first_name = spec.get("first_name", "")
        user.set_password(spec["password"])
        user.save()
        groups = []
        if not spec.get("email_verified", True):
            groups.append(Group.objects.get_or_create(name="email-unverified")[0])
        if spec.get("mfa"):
            groups.append(Group.objects.get_or_create(name="mfa")[0])
        if spec.get("entra"):
            groups.append(Group.objects.get_or_create(name="entra")[0])
        user.groups.set(groups)
    client = data.get("client")
    if client:
        Application.objects.filter(client_id=client["client_id"]).delete()
        Application.objects.create(
            name=client["client_id"],
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(client["redirect_uris"]),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )
    if "issuer_override" in data:
        state.ISSUER_OVERRIDE = data["issuer_override"] or ""
    return JsonResponse({"ok": True})


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", auth_views.LoginView.as_view(template_name="login.html"), name="login"),
    path("seed/", seed),
]
