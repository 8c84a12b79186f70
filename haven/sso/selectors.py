"""Reads for single sign-on. The sign-in pages run before any agency scope exists, so these
read unscoped on purpose and filter by agency themselves."""

from haven.agencies.models import Agency, Membership
from haven.agencies.roles import Role
from haven.sso.models import IdentityProvider


def provider_of(agency: Agency) -> IdentityProvider | None:
    """The agency's provider, enabled or not (for its settings page)."""
    return IdentityProvider.objects.with_scopes_disabled().filter(agency=agency).first()


def enabled_provider(slug: str) -> IdentityProvider | None:
    """The enabled provider of the agency with this slug; None for an unknown agency, one
    without a provider, or one whose provider is switched off (all look the same outside)."""
    return (
        IdentityProvider.objects.with_scopes_disabled()
        .select_related("agency")
        .filter(agency__slug=slug, enabled=True)
        .first()
    )


def providers_for(entry: str) -> list[IdentityProvider]:
    """The enabled providers a sign-in page entry points to: an agency's slug, or a work email
    whose domain an agency listed (a county-wide tenant can serve several agencies)."""
    entry = entry.strip().lower()
    providers = IdentityProvider.objects.with_scopes_disabled().select_related("agency")
    if "@" not in entry:
        return list(providers.filter(agency__slug=entry, enabled=True))
    domain = entry.rsplit("@", 1)[1]
    return [
        p
        for p in providers.filter(enabled=True, email_domains__icontains=domain).order_by(
            "agency__name"
        )
        if domain in p.domains
    ]


def password_refused_by(user) -> IdentityProvider | None:
    """The provider of an agency that turned local passwords off and where this user is an
    active member; None when a Haven password may sign them in."""
    agency_ids = (
        Membership.objects.with_scopes_disabled()
        .filter(user=user, is_active=True)
        .values_list("agency_id", flat=True)
    )
    return (
        IdentityProvider.objects.with_scopes_disabled()
        .select_related("agency")
        .filter(agency_id__in=agency_ids, enabled=True, allow_local_passwords=False)
        .order_by("agency__name")
        .first()
    )


def coordinators_of(agency: Agency) -> list[Membership]:
    """Whom a refused person should ask: the agency's active coordinators."""
    return list(
        Membership.objects.with_scopes_disabled()
        .select_related("user")
        .filter(agency=agency, role=Role.COORDINATOR, is_active=True, user__is_active=True)
        .order_by("user__last_name", "user__first_name")
    )
