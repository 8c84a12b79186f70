"""The OpenID Connect client: Authlib, one client per agency, built from its IdentityProvider.

Authlib does the protocol (state, nonce and PKCE kept in the session, the code exchange, the
ID token's signature against the provider's JWKS, and its iss, aud, exp, iat and nonce claims).
This module only reads and checks the provider's discovery document and builds the client.
"""

import hashlib

import requests
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.core.cache import cache

TIMEOUT_SECONDS = 10
DISCOVERY_CACHE_SECONDS = 15 * 60
# The endpoints and facts a provider's discovery document must give for Haven to use it.
REQUIRED_METADATA = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


class DiscoveryError(Exception):
    """The provider's discovery document cannot be read or does not describe this issuer."""


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def discover(issuer: str, *, fresh: bool = False) -> dict:
    """The provider's metadata from <issuer>/.well-known/openid-configuration, checked.

    Refused (DiscoveryError, with a sentence a coordinator can act on): unreachable, not JSON,
    missing an endpoint, or naming another issuer than the one configured (OpenID Connect
    Discovery 1.0, section 4.3: they must be identical).
    """
    key = "sso:discovery:" + hashlib.sha256(issuer.encode()).hexdigest()
    if not fresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    url = discovery_url(issuer)
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        metadata = response.json()
    except requests.RequestException as exc:
        raise DiscoveryError(
            f"Haven could not read {url} ({exc.__class__.__name__}). Check the issuer address."
        ) from exc
    except ValueError:
        raise DiscoveryError(f"{url} did not answer with a JSON discovery document.") from None
    if not isinstance(metadata, dict):
        raise DiscoveryError(f"{url} did not answer with a JSON discovery document.")
    missing = [name for name in REQUIRED_METADATA if not metadata.get(name)]
    if missing:
        raise DiscoveryError(f"The discovery document at {url} lacks {', '.join(missing)}.")
    if metadata["issuer"] != issuer:
        raise DiscoveryError(
            f"The discovery document names the issuer {metadata['issuer']!r}, not {issuer!r}: "
            "enter the issuer exactly as the provider gives it."
        )
    cache.set(key, metadata, DISCOVERY_CACHE_SECONDS)
    return metadata


def client_for(provider, metadata: dict) -> DjangoOAuth2App:
    """An Authlib client for one agency's provider: authorization code with PKCE (S256),
    scopes openid, email and profile; state kept in the session under the agency's slug."""
    client = DjangoOAuth2App(
        DjangoIntegration(f"haven-sso-{provider.agency_id}"),
        name=f"haven-sso-{provider.agency_id}",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        client_kwargs={
            "scope": "openid email profile",
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT_SECONDS,
        },
    )
    # The discovery document already read and checked: Authlib fetches nothing more but JWKS.
    client.server_metadata = dict(metadata)
    return client
