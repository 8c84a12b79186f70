"""Reads: the claims and restitution orders an actor may see, a claim's overview (rules in
force, eligibility, totals, deadlines, missing documents), the specialist's deadline list and
the aggregate numbers for the reports dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to
from haven.compensation import eligibility
from haven.compensation.models import (
    APPEALABLE,
    BEFORE_FILING,
    ENDED,
    Claim,
    ClaimStatus,
    ExpenseItem,
    RestitutionOrder,
)
from haven.compensation.programs import Program, Rules, program
from haven.core.actor import Actor
from haven.people.models import Person


def claims_visible_to(actor: Actor) -> QuerySet[Claim]:
    """Claims on the cases the actor may read (none for officers, analysts, auditors)."""
    return Claim.objects.filter(agency=actor.agency, case__in=cases_visible_to(actor))


def restitution_visible_to(actor: Actor) -> QuerySet[RestitutionOrder]:
    return RestitutionOrder.objects.filter(agency=actor.agency, case__in=cases_visible_to(actor))


def people_on_case(case: Case) -> list[tuple[Person, str]]:
    """Who can claim on the case: the primary victim, then everyone linked to it (a relative
    who paid for the funeral need not be someone the case serves)."""
    people = [(case.primary_victim, "Victim")]
    links = case.related_people.select_related("person").order_by("id")
    people += [(link.person, link.get_relation_display()) for link in links]
    return people


def facts_of(claim: Claim) -> eligibility.ClaimFacts:
    return eligibility.ClaimFacts(
        crime_date=claim.crime_date,
        crime_type=claim.crime_type,
        claimant_relation=claim.claimant_relation,
        claimant_birth_date=claim.claimant.date_of_birth,
        victim_birth_date=claim.case.primary_victim.date_of_birth,
        reported_on=claim.reported_on,
        report_exception=claim.report_exception,
        cooperated=claim.cooperated,
        charges_filed_on=claim.charges_filed_on,
        filed_on=claim.filed_on,
        late_good_cause=claim.late_good_cause,
        incarcerated=claim.incarcerated,
    )


def lines_of(expenses) -> list[eligibility.ExpenseLine]:
    return [
        eligibility.ExpenseLine(
            category=e.category, amount=e.amount, months=e.months, awarded=e.amount_awarded
        )
        for e in expenses
    ]


@dataclass
class Deadline:
    kind: str  # "filing", "appeal", "documents"
    on: date | None
    label: str
    overdue: bool = False


@dataclass
class MissingDocument:
    expense: ExpenseItem
    code: str
    label: str


@dataclass
class ClaimOverview:
    claim: Claim
    program: Program
    rules: Rules
    checks: list[eligibility.Check]
    totals: eligibility.Totals
    filing_deadline: date | None
    appeal_deadline: date | None
    missing: list[MissingDocument] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    paid_total: Decimal = Decimal("0.00")

    @property
    def next_deadline(self) -> Deadline | None:
        dated = [d for d in self.deadlines if d.on is not None]
        return min(dated, key=lambda d: d.on) if dated else (self.deadlines or [None])[0]

    @property
    def failing(self) -> list[eligibility.Check]:
        return [c for c in self.checks if c.outcome == eligibility.FAIL]


def claim_overview(claim: Claim, *, today: date | None = None) -> ClaimOverview:
    """Everything the claim page, the packet and the deadline list need, from the claim with
    its expenses and payments (prefetch them for lists)."""
    today = today or timezone.localdate()
    prog = program(claim.program)
    rules = prog.rules_on(claim.crime_date)
    expenses = list(claim.expenses.all())
    facts = facts_of(claim)
    lines = lines_of(expenses)
    filing = eligibility.filing_deadline(rules, facts)
    appeal = (
        eligibility.appeal_deadline(rules, claim.decided_on) if claim.status in APPEALABLE else None
    )
    overview = ClaimOverview(
        claim=claim,
        program=prog,
        rules=rules,
        checks=eligibility.check(prog, facts, today=today, lines=lines),
        totals=eligibility.totals(prog, rules, lines),
        filing_deadline=filing,
        appeal_deadline=appeal,
        paid_total=sum((p.amount for p in claim.payments.all()), Decimal("0.00")),
    )
    for expense in expenses:
        category = prog.categories.get(expense.category)
        for code in category.documents if category else ():
            if code not in expense.documents_received:
                overview.missing.append(MissingDocument(expense, code, prog.documents[code]))
    if claim.status in BEFORE_FILING and filing:
        overview.deadlines.append(
            Deadline("filing", filing, "File the claim", overdue=filing < today)
        )
    if appeal:
        overview.deadlines.append(
            Deadline("appeal", appeal, "Last day to appeal the decision", overdue=appeal < today)
        )
    if overview.missing and claim.status not in ENDED:
        count = len(overview.missing)
        overview.deadlines.append(
            Deadline("documents", None, f"{count} document{'s' if count != 1 else ''} missing")
        )
    return overview


def _with_relations(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    return claims.select_related(
        "case", "case__assigned_to__user", "case__primary_victim", "claimant"
    ).prefetch_related("expenses", "payments")


def deadline_list(actor: Actor, *, everyone: bool = False, today: date | None = None):
    """The actor's open claims (on cases assigned to them; with `everyone`, for those who may
    assign cases, every claim they can see), soonest deadline first; claims with no dated
    deadline after them."""
    claims = claims_visible_to(actor).exclude(status__in=ENDED)
    if not (everyone and actor.has(Perm.CASE_ASSIGN)):
        claims = claims.filter(case__assigned_to=actor.membership)
    overviews = [claim_overview(c, today=today) for c in _with_relations(claims)]
    audit_record(
        actor=actor,
        action=AuditAction.COMPENSATION_LIST,
        object_type="compensation.claim",
        details={"everyone": everyone, "shown": sorted(o.claim.pk for o in overviews)},
    )

    def key(o: ClaimOverview):
        nxt = o.next_deadline
        return (nxt is None or nxt.on is None, nxt.on if nxt and nxt.on else date.max, o.claim.pk)

    return sorted(overviews, key=key)


def claims_on_case(actor: Actor, case: Case) -> list[ClaimOverview]:
    claims = _with_relations(claims_visible_to(actor).filter(case=case).order_by("created_at"))
    return [claim_overview(c) for c in claims]


def restitution_on_case(actor: Actor, case: Case) -> list[RestitutionOrder]:
    return list(
        restitution_visible_to(actor)
        .filter(case=case)
        .select_related("payee")
        .prefetch_related(Prefetch("payments"))
    )


@dataclass(frozen=True)
class CompensationSummary:
    start: date
    end: date
    claims_filed: int
    claims_decided: int
    claims_awarded: int
    claims_denied: int
    amount_claimed: Decimal
    amount_awarded: Decimal
    amount_paid: Decimal
    restitution_ordered: Decimal
    restitution_received: Decimal


def compensation_summary(actor: Actor, *, start: date, end: date) -> CompensationSummary:
    """Aggregate, de-identified numbers for the agency between two dates (inclusive): claims
    filed, decided (awarded in full or part, denied), amounts claimed on the claims filed,
    awarded on those decided, and paid; restitution ordered and received. Needs
    reports.aggregates."""
    actor.require(Perm.AGGREGATES_VIEW)
    claims = Claim.objects.filter(agency=actor.agency)
    filed = claims.filter(filed_on__range=(start, end))
    decided = claims.filter(decided_on__range=(start, end))
    awarded_q = Q(status__in=[ClaimStatus.AWARDED, ClaimStatus.PARTIAL]) | Q(award_amount__gt=0)
    counts = decided.aggregate(
        n=Count("id"),
        awarded=Count("id", filter=awarded_q),
        denied=Count("id", filter=Q(award_amount__isnull=True) | Q(award_amount=0)),
        amount=Sum("award_amount"),
    )
    zero = Decimal("0.00")
    claimed = ExpenseItem.objects.filter(agency=actor.agency, claim__in=filed).aggregate(
        s=Sum("amount")
    )["s"]
    from haven.compensation.models import ClaimPayment, RestitutionPayment

    paid = ClaimPayment.objects.filter(agency=actor.agency, paid_on__range=(start, end)).aggregate(
        s=Sum("amount")
    )["s"]
    ordered = RestitutionOrder.objects.filter(
        agency=actor.agency, ordered_on__range=(start, end)
    ).aggregate(s=Sum("amount"))["s"]
    received = RestitutionPayment.objects.filter(
        agency=actor.agency, paid_on__range=(start, end)
    ).aggregate(s=Sum("amount"))["s"]
    return CompensationSummary(
        start=start,
        end=end,
        claims_filed=filed.count(),
        claims_decided=counts["n"],
        claims_awarded=counts["awarded"],
        claims_denied=counts["denied"],
        amount_claimed=claimed or zero,
        amount_awarded=counts["amount"] or zero,
        amount_paid=paid or zero,
        restitution_ordered=ordered or zero,
        restitution_received=received or zero,
    )
