"""Demo releases of information: some open cases' victims have signed releases to the State's
Attorney's victim-witness unit (court notifications) and to a partner (service coordination),
a few expiring within two weeks, one revoked. Uses the services, as a specialist would."""

import random
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.cases.models import OPEN_STATUSES, Case
from haven.consent.services import release_record, release_revoke
from haven.core.actor import Actor
from haven.partners.models import Organization

SAO = "Cook County State's Attorney, Victim Witness Unit"


def seed_demo(*, agency, rng: random.Random) -> None:
    actor = Actor.system(agency, "manage.py demo")
    cases = list(
        Case.objects.filter(agency=agency, status__in=OPEN_STATUSES)
        .select_related("primary_victim")
        .order_by("pk")[:80]
    )
    if not cases:
        return
    partners = list(Organization.objects.filter(agency=agency, is_active=True).order_by("pk"))
    today = timezone.localtime(timezone.now(), agency.tz).date()
    made = []
    for i, case in enumerate(rng.sample(cases, min(10, len(cases)))):
        # Most run their full term; every third expires within the next two weeks.
        signed_ago = rng.randint(75, 85) if i % 3 == 0 else rng.randint(0, 30)
        signed = today - timedelta(days=signed_ago)
        expires = signed + timedelta(days=90)
        if partners and i % 2:
            recipient = {"recipient_organization": rng.choice(partners)}
            purposes, categories = (
                ["service_coordination"],
                ["identity", "contact", "service_needs"],
            )
        else:
            recipient = {
                "recipient_name": SAO,
                "recipient_description": "Sends court-date and case-status letters.",
            }
            purposes, categories = ["court_notification"], ["identity", "contact", "case_facts"]
        try:
            made.append(
                release_record(
                    actor=actor,
                    case=case,
                    person=case.primary_victim,
                    purposes=purposes,
                    categories=categories,
                    method="paper",
                    signed_on=signed,
                    expires_on=expires,
                    informed_confirmed=True,
                    **recipient,
                )
            )
        except ValidationError:
            continue  # e.g. a minor: the demo does not invent a guardian
    if len(made) > 3:
        release_revoke(
            actor=actor,
            release=made[-1],
            method="verbal",
            reason="Asked by phone to stop sharing for now.",
        )
