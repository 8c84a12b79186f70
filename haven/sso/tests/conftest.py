"""Helpers for the SSO tests: an agency provider registered at the real test IdP, and the
browser's part of the authorization-code flow played with `requests`."""

import secrets
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from haven.sso.models import IdentityProvider

IDP_PASSWORD = "idp-pass-1234"


@pytest.fixture
def riverside_sso(idp, cast):
    """Riverside's provider, enabled, with a fresh client at the test IdP; Alice has an
    email address at Riverside and the same at the IdP (verified)."""
    client_id = f"haven-{secrets.token_hex(4)}"
    client_secret = secrets.token_urlsafe(24)
    idp.register_client(client_id, client_secret, ["http://testserver/sso/riverside/callback/"])
    idp.sign_tokens_as("")
    user = cast.advocate.user
    user.email = "alice@riverside.example"
    user.save(update_fields=["email"])
    return IdentityProvider.objects.create(
        agency=cast.agency_a,
        issuer=idp.issuer,
        client_id=client_id,
        client_secret=client_secret,
        enabled=True,
        email_domains="riverside.example",
    )


def idp_user(idp, email, **flags):
    """A user at the IdP with a unique user name; returns their user name."""
    username = f"u{secrets.token_hex(4)}"
    idp.add_user(username, email, password=IDP_PASSWORD, **flags)
    return username


def authorize_at_idp(authorize_url, idp, username, password=IDP_PASSWORD):
    """What the person's browser does at the provider: open the authorization URL, sign in
    there, and come back with the redirect to Haven's callback (returned, not followed)."""
    browser = requests.Session()
    first = browser.get(authorize_url, allow_redirects=False, timeout=10)
    assert first.status_code == 302, first.text[:500]
    login_url = first.headers["Location"]
    if login_url.startswith("/"):
        login_url = idp.url + login_url
    page = browser.get(login_url, timeout=10)
    assert page.status_code == 200
    next_url = dict(parse_qsl(urlsplit(login_url).query))["next"]
    signed_in = browser.post(
        f"{idp.url}/login/",
        data={
            "username": username,
            "password": password,
            "next": next_url,
            "csrfmiddlewaretoken": browser.cookies["idp_csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    # Where the provider sends the signed-in browser on: the authorization request again
    # (with prompt=login consumed, when Haven asked for a fresh sign-in).
    resume = signed_in.headers["Location"]
    if resume.startswith("/"):
        resume = idp.url + resume
    back = browser.get(resume, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text[:500]
    return back.headers["Location"]


def start(client, slug="riverside", **params):
    response = client.get(f"/sso/{slug}/login/", params)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def finish(client, callback_url, **override):
    parts = urlsplit(callback_url)
    query = dict(parse_qsl(parts.query)) | override
    return client.get(parts.path, query)


def sign_in_through_idp(client, idp, username, slug="riverside"):
    return finish(client, authorize_at_idp(start(client, slug), idp, username))
