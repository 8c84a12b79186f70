"""Field encryption at rest and blind indexes for exact-match look-up.

A field's value is sealed with AES-256-GCM-SIV (an AEAD that stays safe if a random nonce ever
repeats) under a key derived from a HAVEN_FIELD_KEYS entry; its token is
`hv2:` + base64(key id, nonce, ciphertext and tag). HAVEN_FIELD_KEYS lists the keys, newest
first: the first encrypts, all of them decrypt (the key id says which), so a key can be rotated
in without downtime and `manage.py rotate_field_keys` then re-encrypts the old rows.

Why not Fernet, which the keys are written for: decrypting a Fernet token builds a new AES-CBC
context each time, about 0.1 ms, and a list page decrypts hundreds of names (the outreach queue
tripled in time when names were encrypted). An AEAD object is built once per key and reused:
about a tenth of the cost. Tokens written before (Fernet, `gAAAAA...`) are still read, and
`rotate_field_keys` rewrites them in the new form. Files (below) stay Fernet tokens: one
decryption per download, where the cost does not show.

A blind index is a keyed HMAC of a normalized value: equal inputs give equal digests, so
`WHERE phone_index = hmac(phone)` finds a row without the database ever holding the phone
number in clear.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.lookups import Exact

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet
    from cryptography.hazmat.primitives.ciphers.aead import AESGCMSIV

# cryptography is imported on the first encryption or decryption, not with the models that
# declare encrypted fields: a command that reads none of them does not load it
# (docs/performance.md, "Commands").


def _invalid_token() -> type[Exception]:
    """Fernet's InvalidToken, for `except _invalid_token():` (evaluated only on an error)."""
    from cryptography.fernet import InvalidToken

    return InvalidToken


def _invalid_tag() -> type[Exception]:
    from cryptography.exceptions import InvalidTag

    return InvalidTag


TOKEN_PREFIX = "hv2:"  # never the start of a Fernet token (":" is not in base64's alphabet)
_KEY_ID_BYTES = 4
_NONCE_BYTES = 12


@dataclass(frozen=True)
class _FieldKeys:
    primary_id: bytes
    by_id: dict[bytes, AESGCMSIV]
    legacy: MultiFernet  # reads the Fernet tokens written before


@lru_cache(maxsize=4)
def _field_keys(keys: tuple[str, ...]) -> _FieldKeys:
    from cryptography.fernet import Fernet, MultiFernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCMSIV
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    try:
        fernets = [Fernet(key.encode()) for key in keys]
        raws = [base64.urlsafe_b64decode(key.encode()) for key in keys]
    except ValueError:
        raise ImproperlyConfigured(
            "HAVEN_FIELD_KEYS must be comma-separated Fernet keys (32 url-safe base64 bytes each); "
            "make one with `python manage.py generate_field_key`."
        ) from None
    by_id = {}
    for raw in raws:
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"haven field encryption v2"
        ).derive(raw)
        by_id.setdefault(hashlib.sha256(derived).digest()[:_KEY_ID_BYTES], AESGCMSIV(derived))
    primary_id = next(iter(by_id))
    return _FieldKeys(primary_id=primary_id, by_id=by_id, legacy=MultiFernet(fernets))


def _keys() -> _FieldKeys:
    return _field_keys(tuple(settings.FIELD_ENCRYPTION_KEYS))


def fernet() -> MultiFernet:
    """The keys as Fernet keys: files, and field tokens written before `hv2:`."""
    return _keys().legacy


def encrypt(plaintext: str) -> str:
    keys = _keys()
    nonce = os.urandom(_NONCE_BYTES)
    sealed = keys.by_id[keys.primary_id].encrypt(nonce, plaintext.encode(), None)
    return TOKEN_PREFIX + base64.urlsafe_b64encode(keys.primary_id + nonce + sealed).decode()


_UNREADABLE = (
    "An encrypted field cannot be read with any key in HAVEN_FIELD_KEYS: "
    "a key that is still in use was removed."
)


def decrypt(token: str) -> str:
    keys = _keys()
    if not token.startswith(TOKEN_PREFIX):
        try:
            return keys.legacy.decrypt(token.encode()).decode()
        except _invalid_token():
            raise ImproperlyConfigured(_UNREADABLE) from None
    try:
        raw = base64.urlsafe_b64decode(token[len(TOKEN_PREFIX) :])
        key_id, nonce = raw[:_KEY_ID_BYTES], raw[_KEY_ID_BYTES : _KEY_ID_BYTES + _NONCE_BYTES]
        sealed = raw[_KEY_ID_BYTES + _NONCE_BYTES :]
        return keys.by_id[key_id].decrypt(nonce, sealed, None).decode()
    except (KeyError, ValueError, _invalid_tag()):
        raise ImproperlyConfigured(_UNREADABLE) from None


def reencrypt(token: str) -> str:
    """The same plaintext under the primary key, in the current form."""
    return encrypt(decrypt(token))


def encrypted_with_primary(token: str | bytes) -> bool:
    """Whether rotation has nothing to do: a field token in the current form under the primary
    key (and readable with it), or a file token the primary Fernet key reads."""
    if isinstance(token, str) and token.startswith(TOKEN_PREFIX):
        keys = _keys()
        raw = base64.urlsafe_b64decode(token[len(TOKEN_PREFIX) :])
        if raw[:_KEY_ID_BYTES] != keys.primary_id:
            return False
        try:
            decrypt(token)
        except ImproperlyConfigured:
            return False
        return True
    if isinstance(token, str):
        return False  # a field's Fernet token: rewritten in the current form
    from cryptography.fernet import Fernet

    primary = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode())
    try:
        primary.decrypt(token)
    except _invalid_token():
        return False
    return True


# Files (haven.documents) are encrypted with the same keys as the fields: one set of keys to
# keep, rotate and back up apart from the data.


def encrypt_bytes(plaintext: bytes) -> bytes:
    return fernet().encrypt(plaintext)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except _invalid_token():
        raise ImproperlyConfigured(_UNREADABLE.replace("field", "file")) from None


def reencrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().rotate(token)
    except _invalid_token():
        raise ImproperlyConfigured(_UNREADABLE.replace("field", "file")) from None


# What `manage.py rotate_field_keys` re-encrypts besides the encrypted columns it finds: an app
# above people (which holds the command) registers its own in AppConfig.ready, so the command
# never imports it. `rotate(write=..., batch_size=...)` returns (items seen, items re-encrypted).
Rotation = Callable[..., tuple[int, int]]
_rotations: dict[str, Rotation] = {}


def register_rotation(name: str, rotate: Rotation) -> None:
    """Registering a name again replaces it (a reloaded app does not rotate twice)."""
    _rotations[name] = rotate


def rotations() -> dict[str, Rotation]:
    return dict(_rotations)


class EncryptedTextField(models.TextField):
    """A text column holding ciphertext; Python code only ever sees the plaintext.

    It cannot be filtered or ordered on: search goes through a blind index beside it. A
    max_length is checked on the plaintext (the ciphertext is longer, so the column is text).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            # An instance attribute, not a `validators` argument: deconstruct() leaves it out.
            self.default_validators = [MaxLengthValidator(self.max_length)]

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
        # Ciphertext is different every time, so a lookup on the value could only
        # ever match nothing, silently. `exact` stays for "" and None only (None becomes isnull).
        if lookup_name == "exact":
            return EmptyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None


class EncryptedDateField(EncryptedTextField):
    """A date encrypted at rest: the column holds a token of its ISO form, Python sees a date.

    Like every encrypted field it cannot be compared, ordered or grouped on in SQL: an age or a
    birth year is worked out in Python after reading (reports.pmt does so for its age bands).
    """

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, datetime.date):
            return value or None
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(
                f"“{value}” is not a date (YYYY-MM-DD).", code="invalid"
            ) from None

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None:
            return None
        return encrypt(value.isoformat())

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return None
        return datetime.date.fromisoformat(decrypt(value))

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.isoformat() if value else ""

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.DateField, **kwargs})


class EmptyExact(Exact):
    """`field=""` or `field=None` on an encrypted field; any other value is refused."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            field = self.lhs.output_field
            raise FieldError(
                f"{field.model.__name__}.{field.name} is encrypted and "
                "cannot be matched on its value; search through its blind index instead."
            )
        return super().get_prep_lookup()


@lru_cache(maxsize=4)
def _keyed_hmac(key: str):
    return hmac.new(key.encode(), digestmod=hashlib.sha256)


def blind_index(kind: str, normalized: str) -> str:
    """HMAC-SHA256 of an already normalized value, namespaced by kind so digests never collide."""
    # A copy of the keyed HMAC made once per key: the key is not padded and hashed again for
    # every value (an import computes one per report).
    mac = _keyed_hmac(settings.BLIND_INDEX_KEY).copy()
    mac.update(f"{kind}:{normalized}".encode())
    return mac.hexdigest()


def normalize_name(name: str) -> str:
    """Case, accents, punctuation and spacing removed: "José  O'Neil" -> "joseoneil"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^\w]|_", "", stripped)


def normalize_email(email: str) -> str:
    return email.strip().casefold()
