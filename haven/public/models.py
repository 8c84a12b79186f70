"""What a unit says about itself on its public help page (/help/<agency slug>/), per language.

Everything else on the page comes from data the unit already keeps: its service hours and
on-call roster, its partners (Organization.list_on_public_page), its hotlines, the rights and
the compensation program. See docs/victims.md.
"""

from django.db import models

from haven.core.models import TenantModel
from haven.core.versions import Versioned
from haven.public.texts import LANGUAGES
from haven.public.texts.steps import SERVICES


def default_services() -> list[str]:
    return list(SERVICES)


class HelpPageSettings(TenantModel):
    """One agency's choices for its help page; a missing row means the defaults."""

    # Which of texts.steps.SERVICES the unit offers and lists, in that order.
    services = models.JSONField(default=default_services)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="public_settings_one_per_agency")
        ]
        verbose_name_plural = "help page settings"


class HelpPageText(TenantModel, Versioned):
    """The unit's own words in one language, written by its coordinator. A section left
    blank in a language shows the English, with a note saying so."""

    language = models.CharField(
        max_length=8, choices=[(code, meta["name"]) for code, meta in LANGUAGES.items()]
    )
    about = models.TextField(blank=True)  # who we are, what we do
    reach = models.TextField(blank=True)  # how to reach us: address, walk-in, email
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "language"], name="public_text_one_per_lang")
        ]
