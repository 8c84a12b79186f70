"""Passkeys as a second sign-in step, through Duo's py_webauthn (never hand-written crypto).

Registering: `registration_options` makes a challenge for the signed-in person, the browser's
authenticator answers it, and `passkey_register` checks the answer and keeps the public key.
Signing in: after the password, `authentication_options` challenges the person's own passkeys
and `passkey_verify` checks the signature and the counter. The challenge travels in the
session (one at a time, single use); the relying party is the host the person is on.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.translation import gettext
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from haven.accounts.models import PasskeyDevice
from haven.agencies.selectors import active_membership_for
from haven.audit.models import AuditAction
from haven.audit.services import audit_record

RP_NAME = "Haven"
NAME_MAX = 64


@dataclass(frozen=True)
class RelyingParty:
    """Where the ceremony happens: the site's host (rp_id) and its origin, from the request."""

    rp_id: str
    origin: str

    @classmethod
    def of(cls, request) -> "RelyingParty":
        host = request.get_host()
        domain, _port = split_domain_port(host)
        return cls(rp_id=domain, origin=f"{request.scheme}://{host}")


def _descriptors(user) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=base64url_to_bytes(d.credential_id))
        for d in PasskeyDevice.objects.filter(user=user)
    ]


def registration_options(*, user, rp: RelyingParty) -> tuple[str, bytes]:
    """(options as JSON for the browser, the challenge to keep)."""
    options = generate_registration_options(
        rp_id=rp.rp_id,
        rp_name=RP_NAME,
        user_id=str(user.pk).encode(),
        user_name=user.get_username(),
        user_display_name=user.get_full_name() or user.get_username(),
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    return options_to_json(options), options.challenge


def passkey_register(
    *,
    user,
    credential: dict | str,
    challenge: bytes | None,
    rp: RelyingParty,
    name: str,
    ip: str | None = None,
) -> PasskeyDevice:
    """Keep a new passkey once its answer to our challenge checks out. Refused (with a message
    to show) when the challenge is missing or used, or the answer does not verify."""
    name = (name or "").strip()[:NAME_MAX] or "Passkey"
    if not challenge:
        raise ValidationError(gettext("That request expired. Press “Add a passkey” again."))
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
        )
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as error:
        raise ValidationError(f"The passkey could not be added: {error}") from error
    credential_id = bytes_to_base64url(verified.credential_id)
    if PasskeyDevice.objects.filter(credential_id=credential_id).exists():
        raise ValidationError(gettext("That passkey is already added."))
    with transaction.atomic():
        device = PasskeyDevice.objects.create(
            user=user,
            name=name,
            confirmed=True,
            credential_id=credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=_transports(credential),
        )
        _audit(user, AuditAction.PASSKEY_ADD, device, ip)
    return device


def _transports(credential) -> list[str]:
    if isinstance(credential, dict):
        transports = credential.get("response", {}).get("transports") or []
        return [str(t)[:20] for t in transports][:8]
    return []


def authentication_options(*, user, rp: RelyingParty) -> tuple[str, bytes]:
    options = generate_authentication_options(
        rp_id=rp.rp_id,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return options_to_json(options), options.challenge


def passkey_verify(
    *, user, credential: dict | str, challenge: bytes | None, rp: RelyingParty
) -> PasskeyDevice:
    """The person's passkey that signed our challenge (its counter moved on), or a refusal. A
    passkey of somebody else's is refused like an unknown one."""
    if not challenge:
        raise ValidationError(gettext("That request expired. Press “Use a passkey” again."))
    raw_id = credential.get("id", "") if isinstance(credential, dict) else ""
    device = PasskeyDevice.objects.filter(user=user, credential_id=raw_id).first()
    if device is None:
        raise ValidationError(gettext("That passkey is not one of yours in Haven."))
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            credential_public_key=bytes(device.public_key),
            credential_current_sign_count=device.sign_count,
        )
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as error:
        raise ValidationError(f"The passkey did not check out: {error}") from error
    device.sign_count = verified.new_sign_count
    device.last_used_at = timezone.now()
    device.save(update_fields=["sign_count", "last_used_at"])
    return device


def passkey_remove(*, user, device_id: int, ip: str | None = None) -> None:
    with transaction.atomic():
        device = PasskeyDevice.objects.filter(user=user, pk=device_id).first()
        if device is None:
            raise ValidationError(gettext("That passkey is not one of yours."))
        _audit(user, AuditAction.PASSKEY_REMOVE, device, ip)
        device.delete()


def passkeys_of(user) -> list[PasskeyDevice]:
    return list(PasskeyDevice.objects.filter(user=user))


def _audit(user, action, device, ip) -> None:
    membership = active_membership_for(user)
    audit_record(
        actor=None,
        action=action,
        agency_id=membership.agency_id if membership else None,
        actor_label=user.get_username(),
        ip=ip,
        details={"passkey": device.name, "user_id": user.pk},
    )
