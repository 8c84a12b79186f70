"""Secrets that open something without a sign-in: an agency's API token, a partner's referral
link, a victim's opt-out and survey links. Each is random, shown once, and stored only as its
digest, so a copy of the database opens nothing.

A fast hash is enough: the secret is 128 or 256 random bits, so there is nothing to guess,
and looking a row up by digest leaks nothing usable.
"""

import hashlib
import secrets


def new_token(*, nbytes: int = 32, prefix: str = "") -> tuple[str, str]:
    """(the secret to hand out, its digest for the row). 16 bytes keeps a texted link short."""
    token = prefix + secrets.token_urlsafe(nbytes)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
