"""The demo agency's public help page (`manage.py demo`): its own words in English and Spanish
(the other three languages show the English with the notice), and the partners it lists (the
directory's non-shelter partners: a shelter's name on a public page is the unit's choice to
make, not the demo's)."""

import random

from haven.agencies.models import Agency
from haven.core.actor import Actor
from haven.partners.models import Organization
from haven.public.services import help_text_save

ABOUT = {
    "en": "We are civilian victim specialists who work inside {name}. We help anyone harmed "
    "by a crime in our area, whether or not anyone was arrested. Our help is free.",
    "es": "Somos especialistas civiles en atención a víctimas y trabajamos dentro de {name}. "
    "Ayudamos a cualquier persona afectada por un delito en nuestra zona, haya o no un "
    "arresto. Nuestra ayuda es gratuita.",
}
REACH_EN = "Call us first: we can meet you at our office, at the police station or by phone."


def seed_demo(*, agency: Agency, rng: random.Random) -> None:
    """Write the help page texts and list up to three partners (in `agency`'s scope)."""
    actor = Actor.system(agency, "manage.py demo")
    for language, about in ABOUT.items():
        reach = REACH_EN if language == "en" else ""
        help_text_save(
            actor=actor, language=language, about=about.format(name=agency.name), reach=reach
        )
    listed = [
        org.pk
        for org in Organization.objects.filter(agency=agency, is_active=True).order_by("name")
        if "shelter" not in org.name.lower()
    ]
    # Directory rows made a moment ago by partners' demo; no audit for a demo's flag.
    Organization.objects.filter(pk__in=listed[:3]).update(list_on_public_page=True)
