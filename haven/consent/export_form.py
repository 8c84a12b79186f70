"""The recipient and purpose fields of the case-list export form (consent/case_export.html), read
here so the export view stays short: naming both is what lets identifying columns leave,
release by release."""

from haven.consent.models import Purpose
from haven.core.actor import Actor
from haven.partners.models import Organization


def export_choices(actor: Actor) -> dict:
    """The export page's choices: the agency's partners and the purposes."""
    return {
        "recipient_organizations": Organization.objects.filter(
            agency=actor.agency, is_active=True
        ).order_by("name"),
        "purposes": Purpose.choices,
    }


def export_recipient(actor: Actor, data) -> dict:
    """The recipient and purpose keyword arguments of cases.exports.case_list_csv from the
    posted form: an unknown or another agency's organization id counts as none named."""
    organization = None
    raw = (data.get("recipient_organization") or "").strip()
    if raw.isdigit():
        organization = Organization.objects.filter(agency=actor.agency, pk=int(raw)).first()
    return {
        "recipient_organization": organization,
        "recipient_name": data.get("recipient_name", ""),
        "purpose": (data.get("purpose") or "").strip(),
    }
