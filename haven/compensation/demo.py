"""Demo compensation claims and restitution: a handful of open cases get a claim at each stage
(draft with documents missing, ready, filed and under review, awarded with a payment, denied
inside its appeal window, one close to its filing deadline), and two restitution orders with
clerk payments. Uses the services, as a specialist would."""

import random
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.cases.models import OPEN_STATUSES, Case
from haven.compensation.services import (
    claim_create,
    claim_payment_record,
    claim_set_status,
    expense_add,
    expense_update,
    restitution_order_create,
    restitution_payment_record,
)
from haven.core.actor import Actor

CRIMES = ["battery", "domestic_battery", "assault", "kidnapping", "sex_offense", "stalking"]
EXPENSES = [
    ("medical", "Mercy Hospital emergency room", (300, 4800)),
    ("counseling", "Lakeview Counseling Center", (400, 2400)),
    ("relocation", "Two Men Moving Co.", (800, 2500)),
    ("replacement", "Clothing and bedding taken as evidence", (60, 400)),
    ("crime_scene_cleanup", "BioClean Chicago", (500, 1800)),
]
# (status path after draft, days since the crime)
STAGES = [
    ([], 30),
    (["ready"], 60),
    (["ready", "filed", "pending"], 120),
    (["ready", "filed", "pending", "awarded"], 300),
    (["ready", "filed", "pending", "denied"], 200),
    ([], 5 * 365 - 20),
]


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


# long: one claim per life stage, in the order the seeded Random draws them
def seed_demo(*, agency, rng: random.Random) -> None:
    actor = Actor.system(agency, "manage.py demo")
    cases = list(
        Case.objects.filter(agency=agency, status__in=OPEN_STATUSES)
        .select_related("primary_victim")
        .order_by("pk")[:60]
    )
    if not cases:
        return
    today = timezone.localtime(timezone.now(), agency.tz).date()
    for case, (path, age) in zip(
        rng.sample(cases, min(len(STAGES), len(cases))), STAGES, strict=False
    ):
        crime = today - timedelta(days=age)
        try:
            claim = claim_create(
                actor=actor,
                case=case,
                claimant=case.primary_victim,
                claimant_relation="victim",
                crime_date=crime,
                crime_type=rng.choice(CRIMES),
                reported_on=crime + timedelta(days=rng.choice([0, 0, 1, 2])),
                police_agency=agency.name,
                cooperated=rng.choice(["yes", "yes", ""]),
            )
            for category, provider, (low, high) in rng.sample(EXPENSES, 2):
                item = expense_add(
                    actor=actor,
                    claim=claim,
                    category=category,
                    amount=_money(rng, low, high),
                    incurred_on=crime + timedelta(days=rng.randint(0, 10)),
                    provider=provider,
                )
                if path:
                    wanted = list(claim_category_documents(claim, category))
                    expense_update(actor=actor, expense=item, documents_received=wanted[:1])
            step_day = crime + timedelta(days=20)
            for status in path:
                step_day = min(step_day + timedelta(days=rng.randint(5, 40)), today)
                award = None
                if status == "awarded":
                    award = sum(e.amount for e in claim.expenses.all())
                claim_set_status(
                    actor=actor,
                    claim=claim,
                    to_status=status,
                    on=step_day,
                    award_amount=award,
                    state_claim_number=f"C{crime:%y}-{rng.randint(10000, 99999)}"
                    if status == "pending"
                    else "",
                )
                claim.refresh_from_db()
            if claim.status == "awarded":
                claim_payment_record(
                    actor=actor,
                    claim=claim,
                    paid_on=claim.decided_on,
                    amount=claim.award_amount,
                    payee=case.primary_victim.full_name,
                )
        except ValidationError:
            continue  # a case whose facts the demo cannot make fit: skip it
    for case in rng.sample(cases, min(2, len(cases))):
        ordered = today - timedelta(days=rng.randint(60, 200))
        try:
            order = restitution_order_create(
                actor=actor,
                case=case,
                payee=case.primary_victim,
                court_case_number=f"{ordered:%Y}-CR-{rng.randint(1000, 9999)}",
                amount=Decimal(rng.choice([500, 1200, 2500])),
                ordered_on=ordered,
                payer_name="Defendant (demo)",
                schedule_note="$100 a month through the Clerk of the Circuit Court",
            )
            for month in range(1, 3):
                restitution_payment_record(
                    actor=actor,
                    order=order,
                    paid_on=ordered + timedelta(days=30 * month),
                    amount="100.00",
                    notify=False,
                )
        except ValidationError:
            continue


def claim_category_documents(claim, category: str):
    from haven.compensation.programs import program

    return program(claim.program).categories[category].documents
