"""Field encryption at rest and blind indexes for exact-match look-up.

Encrypted values are Fernet tokens (AES-128-CBC + HMAC-SHA256). HAVEN_FIELD_KEYS lists the keys,
newest first: the first encrypts, all of them decrypt, so a key can be rotated in without downtime
and `manage.py rotate_field_keys` then re-encrypts the old rows.

A blind index is a keyed HMAC of a normalized value: equal inputs give equal digests, so
`WHERE phone_index = hmac(phone)` finds a row without the database ever holding the phone
number in clear.
"""

import hashlib
import hmac
import re
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "HAVEN_FIELD_KEYS must be comma-separated Fernet keys (32 url-safe base64 bytes each); "
            "make one with `python manage.py generate_field_key`."
        ) from None


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An encrypted field cannot be read with any key in HAVEN_FIELD_KEYS: "
            "a key that is still in use was removed."
        ) from None


def reencrypt(token: str) -> str:
    """The same plaintext under the primary key (a no-op in effect when it already is)."""
    return fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """A text column holding ciphertext; Python code only ever sees the plaintext.

    It cannot be filtered or ordered on: search goes through a blind index beside it.
    """

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in ("isnull", "exact"):
            return None
        return super().get_lookup(lookup_name)


def blind_index(kind: str, normalized: str) -> str:
    """HMAC-SHA256 of an already normalized value, namespaced by kind so digests never collide."""
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, f"{kind}:{normalized}".encode(), hashlib.sha256).hexdigest()


def normalize_name(name: str) -> str:
    """Case, accents, punctuation and spacing removed: "José  O'Neil" -> "joseoneil"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^\w]|_", "", stripped)


def normalize_email(email: str) -> str:
    return email.strip().casefold()
