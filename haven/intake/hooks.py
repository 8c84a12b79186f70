"""What haven.public (above intake) tells intake, so intake never imports it.

The officer's card sent as a text (card_text.py) points the victim to the unit's public help
page and its rights, and gives the office hours in the victim's language: all of that is the
public app's. It registers the provider in its AppConfig.ready (public/apps.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from haven.agencies.models import Agency

# (agency, Haven's language code) -> {"hours": ..., "help_url": ..., "rights_url": ...}
PublicFacts = Callable[["Agency", str], dict]

_public_facts: PublicFacts | None = None


def register_public_facts(provider: PublicFacts) -> None:
    """Install the help page's facts for the card; registering again replaces it."""
    global _public_facts
    _public_facts = provider


def public_facts(agency: Agency, language: str) -> dict:
    """The help page's address and rights section in `language` (else English) and the unit's
    hours in words. Without a provider it raises: a card never goes out without its links."""
    if _public_facts is None:
        raise ImproperlyConfigured("haven.public has not registered the help page's facts.")
    return _public_facts(agency, language)
