"""Single sign-on's rules: the agency's provider settings, and who may sign in through it.

SSO never creates a user or a membership. A person signs in only to an active membership the
agency already gave them: the one bound to their subject at the provider, or else the one whose
user has the email the provider *verified* (email_verified true), which then binds the subject.
"""

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.models import Agency, Membership
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.lib.crypto import normalize_email
from haven.sso.models import IdentityProvider, SsoIdentity
from haven.sso.oidc import DiscoveryError, discover

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# amr values (RFC 8176) that mean the provider checked more than one factor.
MFA_AMR_VALUES = frozenset({"mfa"})


@dataclass(frozen=True)
class SsoSettings:
    issuer: str
    client_id: str
    client_secret: str = ""  # blank: keep the one stored
    enabled: bool = False
    allow_local_passwords: bool = True
    email_domains: str = ""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _clean_issuer(issuer: str) -> str:
    issuer = issuer.strip()
    parts = urlsplit(issuer)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError({"issuer": gettext("Enter the issuer as an address, https://...")})
    if parts.scheme != "https" and not _is_loopback(parts.hostname):
        raise ValidationError({"issuer": gettext("The issuer must be an https:// address.")})
    if parts.query or parts.fragment:
        raise ValidationError({"issuer": gettext("The issuer has no ?query or #fragment.")})
    return issuer


def _clean_domains(text: str) -> str:
    domains = [d.strip().lower().lstrip("@") for d in re.split(r"[,\s]+", text) if d.strip()]
    bad = [d for d in domains if not _DOMAIN.match(d)]
    if bad:
        raise ValidationError({"email_domains": f"Not an email domain: {', '.join(bad)}."})
    return ", ".join(dict.fromkeys(domains))


def _settings_values(settings: SsoSettings, current: IdentityProvider | None) -> dict:
    """The provider's fields to save, checked (every field's problem at once); a provider
    switched on must answer its discovery document."""
    errors: dict[str, str] = {}
    values = {}
    try:
        values["issuer"] = _clean_issuer(settings.issuer)
    except ValidationError as exc:
        errors |= {k: v[0] for k, v in exc.message_dict.items()}
    values["client_id"] = settings.client_id.strip()
    if not values["client_id"]:
        errors["client_id"] = "Enter the client (application) id the provider gave Haven."
    secret = settings.client_secret.strip()
    if secret:
        values["client_secret"] = secret
    elif current is None or not current.client_secret:
        errors["client_secret"] = "Enter the client secret the provider gave Haven."
    try:
        values["email_domains"] = _clean_domains(settings.email_domains)
    except ValidationError as exc:
        errors |= {k: v[0] for k, v in exc.message_dict.items()}
    values["enabled"] = settings.enabled
    values["allow_local_passwords"] = settings.allow_local_passwords
    if not settings.allow_local_passwords and not settings.enabled:
        errors["allow_local_passwords"] = (
            "Local passwords can be turned off only while single sign-on is on: "
            "otherwise nobody could sign in."
        )
    if settings.enabled and "issuer" not in errors:
        try:
            discover(values["issuer"], fresh=True)
        except DiscoveryError as exc:
            errors["issuer"] = str(exc)
    if errors:
        raise ValidationError(errors)
    return values


def sso_settings_save(
    *, actor: Actor, settings: SsoSettings, version: int | None = None
) -> IdentityProvider:
    """Set the agency's OpenID Connect provider.

    Refused: without agency.configure (coordinators; commands act as the system); a missing
    or non-https issuer (loopback addresses excepted, for testing); a provider switched on
    whose discovery document cannot be read or names another issuer; no client secret on
    first setup; local passwords switched off while the provider is off (nobody could sign
    in); the settings saved since `version` (StaleEdit, nothing written; no provider yet is
    version 1). The secret is stored encrypted and never shown again; the audit event lists
    the fields changed, never their values.
    """
    if not actor.has(Perm.AGENCY_CONFIGURE):
        raise PermissionDenied
    current = IdentityProvider.objects.with_scopes_disabled().filter(agency=actor.agency).first()
    if current is not None:
        check_version(current, version)
    values = _settings_values(settings, current)
    with transaction.atomic():
        if current is None:
            provider = IdentityProvider(agency=actor.agency, **values)
            changed = sorted(values)
        else:
            provider = current
            changed = sorted(
                name
                for name, value in values.items()
                if name == "client_secret" or getattr(provider, name) != value
            )
            for name, value in values.items():
                setattr(provider, name, value)
        provider.full_clean()
        # a first save inserts the provider at version 2: a second writer who also found none
        # (version 1) is refused
        save_versioned(provider, version=version, fields=list(values))
        audit_record(
            actor=actor,
            action=AuditAction.SSO_SETTINGS,
            obj=provider,
            details={
                "changed": changed,
                "enabled": provider.enabled,
                "allow_local_passwords": provider.allow_local_passwords,
            },
        )
    return provider


class SsoRefused(Exception):
    """A sign-in through the provider that Haven refuses; `reason` is a stable code."""

    def __init__(self, reason: str, *, agency: Agency):
        super().__init__(reason)
        self.reason = reason
        self.agency = agency


def _refuse(reason, *, provider, claims, ip, email="") -> SsoRefused:
    # Its own transaction: the refusal stays in the log though nothing else is written.
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditAction.SSO_REFUSED,
            agency_id=provider.agency_id,
            actor_label=email or str(claims.get("sub", ""))[:150] or "unknown",
            ip=ip,
            details={
                "reason": reason,
                "issuer": provider.issuer,
                "email_verified": claims.get("email_verified"),
            },
        )
    return SsoRefused(reason, agency=provider.agency)


def refuse_protocol(*, provider: IdentityProvider, error: str, ip: str | None) -> SsoRefused:
    """A callback Haven could not validate (state, nonce, issuer, signature, the provider's own
    error): audited with the error's name, nothing else."""
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditAction.SSO_REFUSED,
            agency_id=provider.agency_id,
            actor_label="unknown",
            ip=ip,
            details={"reason": "protocol", "error": error[:200], "issuer": provider.issuer},
        )
    return SsoRefused("protocol", agency=provider.agency)


def _true(value) -> bool:
    # A boolean per OpenID Connect Core 5.1; some providers send the string "true".
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _email_verified(claims) -> bool:
    """email_verified true; or, when the token has no email_verified at all, Microsoft Entra
    ID's xms_edov true (the email's domain is verified as the tenant's own, where mailboxes
    are issued by the tenant's administrators: Entra sends no email_verified). docs/sso.md."""
    if "email_verified" in claims:
        return _true(claims["email_verified"])
    return _true(claims.get("xms_edov"))


def claims_show_mfa(claims) -> bool:
    """Whether the provider says it checked several factors (amr holds "mfa", RFC 8176)."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool(MFA_AMR_VALUES.intersection(str(v) for v in amr))


def sso_sign_in(
    *, provider: IdentityProvider, claims: dict, ip: str | None, user_agent: str = ""
) -> Membership:
    """The membership a validated ID token signs in to.

    `claims` come from an ID token Authlib has verified (signature, issuer, audience, expiry,
    nonce). Refused (SsoRefused, audited as sso.refused with the reason): no subject; a subject
    bound to a user who is no longer an active member; with no binding, an email the provider
    has not verified, or one that matches no active member of this agency ("unmatched") or
    several ("ambiguous"); a matched member or user who is deactivated ("inactive"); a member
    already bound to another subject at this provider ("subject_mismatch").
    """
    subject = str(claims.get("sub") or "")
    email = normalize_email(str(claims.get("email") or ""))
    if not subject:
        raise _refuse("no_subject", provider=provider, claims=claims, ip=ip, email=email)
    members = (
        Membership.objects.with_scopes_disabled()
        .select_related("agency", "user")
        .filter(agency=provider.agency_id)
    )
    identity = (
        SsoIdentity.objects.with_scopes_disabled()
        .filter(agency=provider.agency_id, issuer=provider.issuer, subject=subject)
        .first()
    )
    if identity is not None:
        membership = members.filter(user=identity.user_id).first()
    else:
        membership = _member_by_email(members, provider=provider, claims=claims, ip=ip, email=email)
    if membership is None or not membership.is_active or not membership.user.is_active:
        raise _refuse("inactive", provider=provider, claims=claims, ip=ip, email=email)
    if identity is None:
        bound = (
            SsoIdentity.objects.with_scopes_disabled()
            .filter(agency=provider.agency_id, user=membership.user_id)
            .exclude(issuer=provider.issuer, subject=subject)
            .exists()
        )
        if bound:
            raise _refuse("subject_mismatch", provider=provider, claims=claims, ip=ip, email=email)

    actor = Actor.for_membership(membership, ip=ip, user_agent=user_agent)
    _record_sign_in(actor, provider, membership, identity, subject=subject, claims=claims)
    return membership


def _member_by_email(
    members, *, provider: IdentityProvider, claims: dict, ip: str | None, email: str
) -> Membership:
    """With no subject bound yet: the one membership whose user has the email the provider
    verified (an active one first)."""
    if not email:
        raise _refuse("no_email", provider=provider, claims=claims, ip=ip)
    if not _email_verified(claims):
        raise _refuse("email_unverified", provider=provider, claims=claims, ip=ip, email=email)
    matches = list(members.filter(user__email__iexact=email))
    active = [m for m in matches if m.is_active and m.user.is_active]
    if len(active) > 1:
        raise _refuse("ambiguous", provider=provider, claims=claims, ip=ip, email=email)
    if not matches:
        raise _refuse("unmatched", provider=provider, claims=claims, ip=ip, email=email)
    return active[0] if active else matches[0]


def _record_sign_in(
    actor: Actor,
    provider: IdentityProvider,
    membership: Membership,
    identity: SsoIdentity | None,
    *,
    subject: str,
    claims: dict,
) -> None:
    """Bind the subject on a first sign-in (or note the time of this one) and audit it."""
    with transaction.atomic():
        now = timezone.now()
        if identity is None:
            identity = SsoIdentity(
                agency=provider.agency,
                user=membership.user,
                issuer=provider.issuer,
                subject=subject,
                last_sign_in_at=now,
            )
            identity.full_clean()
            identity.save()
            bound_now = True
        else:
            SsoIdentity.objects.with_scopes_disabled().filter(pk=identity.pk).update(
                last_sign_in_at=now
            )
            bound_now = False
        audit_record(
            actor=actor,
            action=AuditAction.SSO_SIGN_IN,
            obj=identity,
            details={
                "issuer": provider.issuer,
                "mfa": claims_show_mfa(claims),
                "bound_now": bound_now,
            },
        )


def password_refusal_record(*, provider: IdentityProvider, username: str, ip: str | None):
    """Audit a correct password refused because the agency signs in only through its provider."""
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditAction.SSO_PASSWORD_REFUSED,
            agency_id=provider.agency_id,
            actor_label=username[:150],
            ip=ip,
            details={"issuer": provider.issuer},
        )


# How recent the provider's sign-in must be for a re-confirmation (sudo mode) to count.
RECONFIRM_MAX_AGE_SECONDS = 5 * 60


def sso_reconfirm(*, actor: Actor, provider: IdentityProvider, claims: dict) -> None:
    """A signed-in member confirms who they are again at the provider (sudo mode, instead of
    re-typing a Haven password they may not have).

    Refused (SsoRefused "reconfirm_mismatch", audited): the token's subject is not the one bound
    to this member at this provider, or the provider's `auth_time` is missing or older than
    five minutes (Haven asked for a fresh sign-in: prompt=login, max_age=0).
    """
    subject = str(claims.get("sub") or "")
    bound = (
        SsoIdentity.objects.with_scopes_disabled()
        .filter(
            agency=provider.agency_id,
            issuer=provider.issuer,
            subject=subject,
            user=actor.membership.user_id if actor.membership else None,
        )
        .exists()
    )
    auth_time = claims.get("auth_time")
    fresh = isinstance(auth_time, int | float) and (
        timezone.now().timestamp() - auth_time <= RECONFIRM_MAX_AGE_SECONDS
    )
    if not (bound and fresh):
        with transaction.atomic():
            audit_record(
                actor=actor,
                action=AuditAction.SSO_REFUSED,
                details={
                    "reason": "reconfirm_mismatch",
                    "issuer": provider.issuer,
                    "bound": bound,
                    "fresh": fresh,
                },
            )
        raise SsoRefused("reconfirm_mismatch", agency=provider.agency)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.SSO_RECONFIRM,
            details={"issuer": provider.issuer, "mfa": claims_show_mfa(claims)},
        )
