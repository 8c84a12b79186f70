"""Demo partner referrals: a dozen open cases referred to the agency's partner services, most
under a release of information, in every state of the loop. Needs the partner directory's demo
rows first (it does nothing without active services). No mail is sent."""

import random
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.cases.models import OPEN_STATUSES, Case
from haven.consent.services import release_record
from haven.core.actor import Actor
from haven.partners.models import Service, ServiceStatus
from haven.referrals.services import referral_answer_record, referral_propose, referral_send

SHARED = ["identity", "contact", "service_needs"]
# How far along each demo referral goes after it is sent.
ENDINGS = [
    [],
    ["accepted"],
    ["accepted", "service_started"],
    ["accepted", "service_started", "completed"],
    ["accepted", "no_show"],
    ["declined"],
]
DECLINE_REASONS = ["No space until next month.", "Outside our service area.", "Not eligible."]


def seed_demo(*, agency, rng: random.Random) -> None:
    actor = Actor.system(agency, "manage.py demo")
    services = list(
        Service.objects.filter(
            agency=agency, status=ServiceStatus.ACTIVE, organization__is_active=True
        )
        .select_related("organization")
        .prefetch_related("needs")
        .order_by("pk")
    )
    cases = list(
        Case.objects.filter(agency=agency, status__in=OPEN_STATUSES)
        .select_related("primary_victim")
        .order_by("pk")[:60]
    )
    if not services or not cases:
        return
    today = timezone.localtime(timezone.now(), agency.tz).date()
    for case in rng.sample(cases, min(12, len(cases))):
        service = rng.choice(services)
        codes = [n.code for n in service.needs.all()] or ["advocacy"]
        try:
            referral = referral_propose(
                actor=actor,
                case=case,
                service=service,
                need=rng.choice(codes),
                categories=SHARED,
                urgency=rng.choice(["routine", "routine", "soon", "urgent"]),
            )
            if rng.random() < 0.2:
                continue  # waits for a release
            release_record(
                actor=actor,
                case=case,
                person=case.primary_victim,
                purposes=["referral"],
                categories=SHARED,
                method="paper",
                signed_on=today,
                expires_on=today + timedelta(days=90),
                informed_confirmed=True,
                signer_not_offender_confirmed=True,
                recipient_organization=service.organization,
            )
            if not (service.email or service.organization.email):
                continue
            referral, _ = referral_send(actor=actor, referral=referral, mail=False)
            for step in rng.choice(ENDINGS):
                note = rng.choice(DECLINE_REASONS) if step == "declined" else ""
                referral = referral_answer_record(
                    actor=actor, referral=referral, status=step, note=note
                )
        except ValidationError:
            continue  # e.g. a minor's release needs a guardian: the demo skips that case
