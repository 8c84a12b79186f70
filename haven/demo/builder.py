"""Synthetic demo data for `manage.py demo`: agencies with staff, people, cases and a year of
casework, written with bulk inserts so ten thousand cases load in well under a minute.

Each app builds its own demo rows in its demo.py; this module only puts them in order (the
steps below), for one agency at a time. The rows are the ones the services would have written
(same case numbers, blind indexes, timeline events, first-contact times), but without one audit
event per row: each agency's load is one transaction with one DATA_LOAD audit event. Every
name, phone number (the fictional 555-01xx range) and email address (example.org) is made up.

Everything random comes from one Random per agency, seeded by (seed, slug): the same seed gives
the same rows as long as the steps keep their order. New steps go at the end.

Loading is idempotent by agency slug: an agency that already exists is skipped whole.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from haven.agencies import demo as agencies_demo
from haven.agencies.demo import (  # noqa: F401 (re-exported for the commands and tests)
    DEMO_PASSWORD,
    FIRST_SLUG,
    MIN_ADVOCATES,
    OPEN_CASES_PER_ADVOCATE,
    SIGN_INS,
    agency_profile,
)
from haven.agencies.models import Agency
from haven.assistance.demo import services_funding, services_rows
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import demo as cases_demo
from haven.cases.demo import CasePlan, case_open
from haven.cases.demo_casework import case_close_rows, contact_log_rows, notes_rows, tasks_rows
from haven.cases.models import Case, CasePerson, CaseStatus, Contact, Note, Task
from haven.compensation import demo as compensation_demo
from haven.consent import demo as consent_demo
from haven.core.demo import LOADER_LABEL, DemoContext, DemoError, Rows  # noqa: F401
from haven.core.scoping import all_agencies
from haven.crisis import demo as crisis_demo
from haven.followup.demo import followup_plans_seed
from haven.funding import demo as funding_demo
from haven.justice import demo as justice_demo
from haven.lib.bulkrows import keep_given_timestamps, resolve_parents
from haven.notices import demo as notices_demo
from haven.oncall.demo import oncall_roster_seed
from haven.outreach.demo import outreach_rules_seed
from haven.partners import demo as partners_demo
from haven.people.demo import NamePools
from haven.people.models import ContactPoint, Person
from haven.portal import demo as portal_demo
from haven.program import demo as program_demo
from haven.protocols import demo as protocols_demo
from haven.public import demo as public_demo
from haven.referrals import demo as referrals_demo
from haven.reports import demo as reports_demo
from haven.reports.demo import survey_row
from haven.safety.demo import safety_plans_seed

BATCH_SIZE = 2000  # rows per INSERT (fewer for wide rows on SQLite, which Django caps)
CHUNK_CASES = 1000  # cases built in memory before they are written
DEFAULT_SITE_URL = "http://127.0.0.1:8000"  # what `make run` serves unless told otherwise


@dataclass
class AgencyResult:
    slug: str
    name: str
    skipped: bool = False
    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    # Seconds spent making Python objects vs. in bulk_create (which includes encryption).
    timings: dict[str, float] = field(default_factory=dict)


# --- The steps, in order ---------------------------------------------------------------------


def _case(ctx: DemoContext, rows: Rows, plan: CasePlan, number: int) -> None:
    """One case and its year of casework, as rows not yet inserted."""
    first_event = len(rows.events)
    draft = case_open(ctx, rows, plan, number)
    contact_log_rows(ctx, rows, draft)
    notes_rows(ctx, rows, draft)
    tasks_rows(ctx, rows, draft)
    case_close_rows(ctx, rows, draft, last_activity=max(e.at for e in rows.events[first_event:]))
    services_rows(ctx, rows, draft)
    survey_row(ctx, rows, draft)


def _app_seeds(ctx: DemoContext) -> None:
    """Partners, releases, referrals, court dates, messages, claims and goals: a few dozen
    rows each, made through each app's own services (its demo.py), after the bulk load."""
    p = ctx.profile
    partners_demo.seed_demo(
        agency=ctx.agency,
        rng=ctx.rng,
        city=p.city,
        state=p.state,
        zip_prefix=p.zip_prefix,
        area_code=p.area_codes[0],
    )
    for app_demo in (
        consent_demo,
        referrals_demo,
        justice_demo,
        notices_demo,
        compensation_demo,
        crisis_demo,
        reports_demo,
        public_demo,
        portal_demo,  # it draws nothing from the Random
    ):
        app_demo.seed_demo(agency=ctx.agency, rng=ctx.rng)


def _newcomer_seeds(ctx: DemoContext) -> None:
    """What a newcomer opens first and must not find empty: who is on call at any hour, safety
    plans, follow-up plans, protocol checklists, the program's activities and volunteers
    (after the app seeds, so their rows stay as they were)."""
    oncall_roster_seed(ctx)
    safety_plans_seed(ctx)
    followup_plans_seed(ctx)
    protocols_demo.protocol_checklists_seed(ctx)
    # Trainings, events, case reviews and volunteers: last, with a Random of its own.
    program_demo.seed_demo(ctx)


def _funding_seeds(ctx: DemoContext) -> None:
    """Funding sources, time splits, emergency funds and requests (funding/demo.py), then the
    services tagged to the sources (a disbursement already tagged its own C7 service)."""
    funding_demo.seed_demo(ctx)
    services_funding(ctx)


def _chunk(ctx: DemoContext, plans: list[CasePlan], first_number: int) -> None:
    started = time.perf_counter()
    rows = Rows()
    for offset, plan in enumerate(plans):
        _case(ctx, rows, plan, first_number + offset)
    ctx.timings["generate"] += time.perf_counter() - started
    for name in Rows.ORDER:
        objs = getattr(rows, name)
        started = time.perf_counter()
        if objs:
            resolve_parents(objs)
            type(objs[0]).objects.bulk_create(objs, batch_size=BATCH_SIZE)
        ctx.timings[f"insert {name}"] += time.perf_counter() - started
        ctx.counts[name] += len(objs)


def build_agency(ctx: DemoContext, *, cases: int, password_hash: str) -> AgencyResult:
    """One agency, in one transaction with one DATA_LOAD audit event."""
    started = time.perf_counter()
    plans = cases_demo.cases_plan(ctx, cases)
    open_cases = sum(plan.status in (CaseStatus.NEW, CaseStatus.ACTIVE) for plan in plans)
    advocates = max(MIN_ADVOCATES, math.ceil(open_cases / OPEN_CASES_PER_ADVOCATE))
    with transaction.atomic():
        with keep_given_timestamps(Person, ContactPoint, Case, CasePerson, Contact, Note, Task):
            agencies_demo.agency_create(ctx)
            agencies_demo.staff_create(ctx, advocates=advocates, password_hash=password_hash)
            # Protocols first: the starter outreach rules name them.
            protocols_demo.protocol_templates_seed(ctx)
            outreach_rules_seed(ctx)
            for start in range(0, len(plans), CHUNK_CASES):
                _chunk(ctx, plans[start : start + CHUNK_CASES], first_number=start + 1)
            # Later cases opened through the services continue the sequence.
            Agency.objects.filter(pk=ctx.agency.pk).update(last_case_number=len(plans))
        seeded = time.perf_counter()
        _app_seeds(ctx)
        ctx.timings["app seeds"] += time.perf_counter() - seeded
        seeded = time.perf_counter()
        _newcomer_seeds(ctx)
        ctx.timings["newcomer seeds"] += time.perf_counter() - seeded
        seeded = time.perf_counter()
        _funding_seeds(ctx)
        ctx.timings["funding seeds"] += time.perf_counter() - seeded
        audit_record(
            actor=None,
            action=AuditAction.DATA_LOAD,
            agency_id=ctx.agency.pk,
            actor_label=LOADER_LABEL,
            details={
                "cases": len(plans),
                "seed": ctx.seed,
                **{name: ctx.counts[name] for name in ("persons", "contacts", "staff")},
            },
        )
    return AgencyResult(
        ctx.profile.slug,
        ctx.profile.name,
        counts=ctx.counts,
        seconds=time.perf_counter() - started,
        timings=dict(ctx.timings),
    )


# --- The command's entry point ---------------------------------------------------------------


def build_demo(
    *,
    agencies: int,
    cases: int,
    seed: int = 2026,
    now: datetime | None = None,
    site_url: str = "",
    log: Callable[[str], None] | None = None,
) -> list[AgencyResult]:
    """Load `agencies` demo agencies with `cases` cases each; existing ones are skipped.

    Runs across tenants (all_agencies), one transaction and one audit event per agency. Links
    in what the demo sends people (texts, emails) start with `site_url`, else HAVEN_SITE_URL,
    else the address `make run` serves: a relative link means nothing in a text message.
    """
    site_url = (site_url or settings.SITE_URL or DEFAULT_SITE_URL).rstrip("/")
    # The services read settings.SITE_URL when they write a link; the command runs alone in
    # its process, so overriding it for the load changes nothing else.
    with override_settings(SITE_URL=site_url):
        return _build_demo(agencies=agencies, cases=cases, seed=seed, now=now, log=log)


def _build_demo(*, agencies, cases, seed, now, log) -> list[AgencyResult]:
    now = now or timezone.now()
    password_hash = None
    names = None
    results = []
    with all_agencies():
        for index in range(1, agencies + 1):
            profile = agency_profile(index)
            if Agency.objects.filter(slug=profile.slug).exists():
                results.append(AgencyResult(profile.slug, profile.name, skipped=True))
                if log:
                    log(f"{profile.slug}: already loaded, skipped.")
                continue
            if password_hash is None:
                # One slow (argon2) hash, copied to every demo user.
                password_hash = make_password(DEMO_PASSWORD)
                names = NamePools(seed)
            ctx = DemoContext(profile=profile, seed=seed, now=now, names=names)
            result = build_agency(ctx, cases=cases, password_hash=password_hash)
            results.append(result)
            if log:
                log(summary_line(result))
    return results


def summary_line(result: AgencyResult) -> str:
    if result.skipped:
        return f"{result.slug}: already loaded, skipped."
    c = result.counts
    rate = c["cases"] / result.seconds if result.seconds else 0
    return (
        f"{result.slug}: {c['cases']:,} cases, {c['persons']:,} people, "
        f"{c['points']:,} contact points, {c['contacts']:,} contacts, {c['notes']:,} notes, "
        f"{c['tasks']:,} tasks, {c['events']:,} timeline events, {c['services']:,} services, "
        f"{c['surveys']:,} survey answers, {c['staff']} staff "
        f"in {result.seconds:.1f} s ({rate:,.0f} cases/s)."
    )
