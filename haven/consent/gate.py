"""The consent gate: every disclosure of a person's identifying data asks here first.

    from haven.consent.gate import consent_require, consent_in_force, ConsentRefused, Disclosure

A release of information covers a disclosure when it is about the same person, was signed,
has not expired at this instant, has not been revoked, names that recipient (the directory
organization, or exactly the named recipient), and includes the purpose and every category.

`consent_require` returns the release in force that covers the disclosure, or raises
`ConsentRefused` (a PermissionDenied) whose `.reason` says, in plain words, what is missing.
Every refusal is audited (AuditAction.CONSENT_REFUSED) in the caller's transaction: catch
`ConsentRefused` inside your `transaction.atomic()` block (or call the gate before opening one)
so the refusal's audit row is not rolled back with your work. An allowed disclosure is audited
by the caller's own event (it knows what it sent).

Aggregate, de-identified numbers need no consent: see haven/consent/deidentify.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.consent.models import DataCategory, Purpose, ReleaseOfInformation
from haven.core.scoping import agency_scope

if TYPE_CHECKING:
    from haven.cases.models import Case
    from haven.core.actor import Actor
    from haven.partners.models import Organization
    from haven.people.models import Person

__all__ = ["ConsentRefused", "Disclosure", "consent_in_force", "consent_require", "explain"]


@dataclass(frozen=True, kw_only=True)
class Disclosure:
    """One attempted disclosure of a person's identifying data."""

    person: Person
    recipient_organization: Organization | None = None
    recipient_name: str = ""
    purpose: str  # a consent.Purpose value
    categories: frozenset[str] = field(default_factory=frozenset)  # consent.DataCategory values
    channel: str = ""  # "referral", "export", "shared_note", "partner_link", "api", ...
    case: Case | None = None

    def __post_init__(self):
        object.__setattr__(self, "categories", frozenset(self.categories))
        object.__setattr__(self, "recipient_name", (self.recipient_name or "").strip())
        if self.purpose not in Purpose.values:
            raise ValueError(f"Unknown consent purpose {self.purpose!r}")
        unknown = self.categories - set(DataCategory.values)
        if unknown:
            raise ValueError(f"Unknown data categories {sorted(unknown)!r}")
        if not self.categories:
            raise ValueError("A disclosure names at least one data category")
        if self.recipient_organization is None and not self.recipient_name:
            raise ValueError("A disclosure names its recipient (organization or name)")

    @property
    def recipient_label(self) -> str:
        if self.recipient_organization is not None:
            return self.recipient_organization.name
        return self.recipient_name

    @property
    def category_list(self) -> list[str]:
        """The categories in DataCategory order."""
        return [c for c in DataCategory.values if c in self.categories]


class ConsentRefused(PermissionDenied):
    """No release in force covers the disclosure; `.reason` says what is missing."""

    def __init__(self, reason: str, disclosure: Disclosure | None = None):
        super().__init__(reason)
        self.reason = reason
        self.disclosure = disclosure


def _names_recipient(release: ReleaseOfInformation, disclosure: Disclosure) -> bool:
    if disclosure.recipient_organization is not None:
        return release.recipient_organization_id == disclosure.recipient_organization.pk
    # A named recipient outside the directory must match exactly as written (case and
    # surrounding spaces aside): "Cook County SAO" is not "Cook County State's Attorney".
    return (
        release.recipient_organization_id is None
        and release.recipient_name.strip().casefold() == disclosure.recipient_name.casefold()
    )


def _covers_scope(release: ReleaseOfInformation, disclosure: Disclosure) -> bool:
    return (
        release.person_id == disclosure.person.pk
        and _names_recipient(release, disclosure)
        and disclosure.purpose in release.purposes
        and disclosure.categories <= set(release.categories)
    )


def _releases(actor: Actor, disclosure: Disclosure) -> list[ReleaseOfInformation]:
    if disclosure.person.agency_id != actor.agency.pk:
        return []  # another agency's person: nothing of ours can cover it
    with agency_scope(actor.agency):
        return list(
            ReleaseOfInformation.objects.filter(
                agency=actor.agency, person_id=disclosure.person.pk
            ).select_related("recipient_organization")
        )


def _covering(releases, disclosure, now) -> ReleaseOfInformation | None:
    covering = [
        r
        for r in releases
        if _covers_scope(r, disclosure) and r.signed_at <= now and r.is_in_force(now)
    ]
    # The one that lasts longest: the caller may keep it as the basis of what it sent.
    covering.sort(key=lambda r: (r.expires_at, r.pk), reverse=True)
    return covering[0] if covering else None


def _day(moment, agency) -> str:
    local = timezone.localtime(moment, agency.tz)
    return f"{local.day} {local:%b %Y}"


def explain(*, actor: Actor, disclosure: Disclosure, releases=None, now=None) -> str:
    """Why no release covers the disclosure, in one sentence that says what is missing."""
    now = now or timezone.now()
    if releases is None:
        releases = _releases(actor, disclosure)
    who = disclosure.person.full_name
    to = disclosure.recipient_label
    purpose = disclosure.purpose.replace("_", " ")
    cats = ", ".join(c.replace("_", " ") for c in disclosure.category_list)
    same_scope = [r for r in releases if _covers_scope(r, disclosure)]
    revoked = [r for r in same_scope if r.revoked_at is not None and r.revoked_at <= now]
    expired = [r for r in same_scope if r.revoked_at is None and r.expires_at <= now]
    if revoked:
        last = max(revoked, key=lambda r: r.revoked_at)
        return (
            f"The release of information from {who} to {to} for {purpose} was revoked on "
            f"{_day(last.revoked_at, actor.agency)}; ask {who} whether to sign a new one."
        )
    if expired:
        last = max(expired, key=lambda r: r.expires_at)
        return (
            f"The release of information from {who} to {to} for {purpose} expired on "
            f"{_day(last.expires_at, actor.agency)}; a new release is needed."
        )
    partial = [
        r
        for r in releases
        if _names_recipient(r, disclosure)
        and disclosure.purpose in r.purposes
        and r.is_in_force(now)
    ]
    if partial:
        best = max(partial, key=lambda r: len(disclosure.categories & set(r.categories)))
        missing = [
            c.replace("_", " ") for c in disclosure.category_list if c not in best.categories
        ]
        return (
            f"The release of information from {who} to {to} for {purpose} does not include "
            f"{', '.join(missing)}; share less, or ask {who} for a release that includes it."
        )
    return f"No release of information from {who} covers {to} for {purpose} ({cats})."


def consent_in_force(*, actor: Actor, disclosure: Disclosure) -> ReleaseOfInformation | None:
    """The release in force that covers the disclosure, or None. No audit, never raises."""
    return _covering(_releases(actor, disclosure), disclosure, timezone.now())


def consent_require(*, actor: Actor, disclosure: Disclosure) -> ReleaseOfInformation:
    """The release in force that covers the disclosure, or raise ConsentRefused (audited)."""
    now = timezone.now()
    releases = _releases(actor, disclosure)
    release = _covering(releases, disclosure, now)
    if release is not None:
        return release
    reason = explain(actor=actor, disclosure=disclosure, releases=releases, now=now)
    audit_refusal(actor=actor, disclosure=disclosure, reason=reason)
    raise ConsentRefused(reason, disclosure)


def audit_refusal(*, actor: Actor, disclosure: Disclosure, reason: str) -> None:
    """Write the CONSENT_REFUSED audit row for one refused disclosure. The access log names
    the person by id, never by name: auditors read it, and they never see who is a victim."""
    reason = reason.replace(disclosure.person.full_name, f"person {disclosure.person.pk}")
    audit_record(
        actor=actor,
        action=AuditAction.CONSENT_REFUSED,
        obj=disclosure.person,
        reason=reason,
        details=refusal_details(disclosure, reason),
    )


def refusal_details(disclosure: Disclosure, reason: str) -> dict:
    return {
        "recipient": disclosure.recipient_label,
        "recipient_organization_id": (
            disclosure.recipient_organization.pk if disclosure.recipient_organization else None
        ),
        "purpose": disclosure.purpose,
        "categories": disclosure.category_list,
        "channel": disclosure.channel,
        "case_id": disclosure.case.pk if disclosure.case is not None else None,
        "why": reason,
    }


def categories(values: Iterable[str]) -> frozenset[str]:
    """Validate and freeze category values (a convenience for callers building Disclosures)."""
    values = frozenset(values)
    unknown = values - set(DataCategory.values)
    if unknown:
        raise ValueError(f"Unknown data categories {sorted(unknown)!r}")
    return values
