"""Demo court cases: a dozen open cases with a reported crime get a court case with a docket
(arraignment held, dates ahead, one moved, one cancelled), custody events for the accused, a
victim or two who asked to be told on request, and some rights already honored, so the
obligation list has overdue, due-soon and honored rows. Uses the services, as a feed and a
specialist would."""

import random
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.cases.models import OPEN_STATUSES, Case
from haven.core.actor import Actor
from haven.justice import services
from haven.justice.models import ObligationStatus, RightsObligation

COURTHOUSES = [
    ("Leighton Criminal Court Building, 2650 S. California Ave., Chicago", ["302", "404", "506"]),
    ("Domestic Violence Courthouse, 555 W. Harrison St., Chicago", ["101", "103", "105"]),
    ("Skokie Courthouse, 5600 Old Orchard Rd., Skokie", ["104", "110"]),
]
CHARGES = [
    "720 ILCS 5/12-3.2 Domestic battery",
    "720 ILCS 5/12-3.05 Aggravated battery",
    "720 ILCS 5/12-7.3 Stalking",
    "720 ILCS 5/12-3.4 Violation of an order of protection",
    "720 ILCS 5/24-1.2 Aggravated discharge of a firearm",
]
DEFENDANTS = ["J. Doe", "R. Roe", "M. Moe", "K. Koe"]
PROSECUTORS = [("ASA Dana Whitfield", "312-555-0190"), ("ASA Luis Ortega", "312-555-0191")]


def seed_demo(*, agency, rng: random.Random) -> None:
    actor = Actor.system(agency, "manage.py demo")
    cases = list(
        Case.objects.filter(agency=agency, status__in=OPEN_STATUSES)
        .exclude(report_number="")
        .select_related("primary_victim")
        .order_by("pk")[:80]
    )
    now = timezone.now()
    for n, case in enumerate(rng.sample(cases, min(12, len(cases)))):
        try:
            _docket(actor, case, n, rng=rng, now=now)
        except ValidationError:
            continue
        # Most past-due notices were given by phone; leave a few overdue for the list.
        for obligation in RightsObligation.objects.filter(
            case=case, status=ObligationStatus.OPEN, due_at__lt=now
        ):
            if rng.random() < 0.7:
                services.obligation_honor(
                    actor=actor,
                    obligation=obligation,
                    how="prosecutor" if obligation.owed_by == "prosecutor" else "phone",
                    at=min(now, obligation.due_at - timedelta(hours=rng.randint(0, 3))),
                )


def _docket(actor: Actor, case: Case, n: int, *, rng: random.Random, now: datetime) -> None:
    """The `n`th demo case's court case: an arrest, a bond hearing held and a release, a date
    ahead (every third one moved, every fifth cancelled)."""
    courthouse, rooms = rng.choice(COURTHOUSES)
    prosecutor, phone = rng.choice(PROSECUTORS)
    if n % 4 == 0:
        services.rights_request_record(actor=actor, case=case, person=case.primary_victim)
    court_case = services.court_case_save(
        actor=actor,
        case=case,
        court="Circuit Court of Cook County",
        number=f"{now:%y}CR{rng.randint(1000, 99999):05d}",
        charges=rng.choice(CHARGES),
        defendant_name=rng.choice(DEFENDANTS),
        prosecutor_name=prosecutor,
        prosecutor_phone=phone,
    )
    arrested = now - timedelta(days=rng.randint(8, 40), hours=rng.randint(0, 12))
    services.custody_event_record(
        actor=actor, case=case, court_case=court_case, kind="arrested", occurred_at=arrested
    )
    bond = services.court_event_record(
        actor=actor,
        court_case=court_case,
        kind="bond_hearing",
        scheduled_at=arrested + timedelta(days=1),
        courthouse=courthouse,
        courtroom=rng.choice(rooms),
    )
    services.court_event_outcome(
        actor=actor, event=bond, outcome="Released with conditions: no contact, GPS"
    )
    services.custody_event_record(
        actor=actor,
        case=case,
        court_case=court_case,
        kind="released_on_bond",
        occurred_at=arrested + timedelta(days=1, hours=rng.randint(2, 30)),
        conditions="No contact with the victim; electronic monitoring",
    )
    ahead = services.court_event_record(
        actor=actor,
        court_case=court_case,
        kind=rng.choice(["preliminary_hearing", "status_hearing", "arraignment"]),
        scheduled_at=(now + timedelta(days=rng.randint(2, 30))).replace(
            hour=9, minute=30, second=0, microsecond=0
        ),
        courthouse=courthouse,
        courtroom=rng.choice(rooms),
    )
    if n % 3 == 0:
        services.court_event_move(
            actor=actor, event=ahead, scheduled_at=ahead.scheduled_at + timedelta(days=14)
        )
    if n % 5 == 0:
        services.court_event_cancel(actor=actor, event=ahead, reason="Continued by order")
