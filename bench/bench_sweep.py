"""Sweep every staff page for the slowest ones on a big agency.

    cp -r /tmp/bp-an var/bench-35k        # or any built database: bench_pages.py builds one
    .venv/bin/python bench/bench_sweep.py --var var/bench-35k
    .venv/bin/python bench/bench_sweep.py --var var/bench-35k --roles advocate --only reports:

With production settings on the database in `--var` (as bench_pages.py's `in_process()`), in
this process, for each role (`--roles`; the demo's advocate, supervisor, coordinator and
analyst of the first agency): signs the member in with Django's test client (`force_login`)
and asks for every GET route of the URL list (the tenant-isolation walk's `all_routes()`)
whose parameters are all known: a case of the advocate's (its victim, a task of it, ...) and,
for the other objects, the agency's newest row of that kind, preferring one on that case.
API routes, public pages, case page panels and forms are left out. A page that does not
answer 200 for a role (refused, a redirect, a form's 405) is skipped for it.

Each page is asked once to warm up, once to count its queries (`CaptureQueriesContext`), then
`--requests` times in CPU time (`time.process_time`): on a shared machine CPU time moves far
less than the wall clock. Prints the slowest `--top` (page, role) pairs by the median, with
their queries and response size, and the load average.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_pages import bench_env, load  # noqa: E402

ROLES = ["advocate", "supervisor", "coordinator", "analyst"]
# URL parameter -> the model whose row fills it ("case_id" and "person_id" are the case's).
MODELS = {
    "activity_id": "program.Activity",
    "batch_id": "retention.PurgeBatch",
    "callout_id": "crisis.CallOut",
    "candidate_id": "incidents.MatchCandidate",
    "certificate_id": "retention.DestructionCertificate",
    "claim_id": "compensation.Claim",
    "court_case_id": "justice.CourtCase",
    "court_event_id": "justice.CourtEvent",
    "document_id": "documents.Document",
    "expense_id": "compensation.ExpenseItem",
    "followup_id": "followup.FollowUp",
    "followup_rule_id": "followup.FollowUpRule",
    "hold_id": "retention.LegalHold",
    "holiday_id": "oncall.Holiday",
    "member_id": "agencies.Membership",
    "message_id": "notices.Message",
    "mou_id": "partners.MOU",
    "obligation_id": "justice.RightsObligation",
    "order_id": "compensation.RestitutionOrder",
    "page_id": "portal.StatusPage",
    "partner_contact_id": "partners.Contact",
    "partner_location_id": "partners.Location",
    "partner_org_id": "partners.Organization",
    "partner_schedule_id": "partners.Schedule",
    "partner_service_id": "partners.Service",
    "referral_id": "referrals.Referral",
    "release_id": "consent.ReleaseOfInformation",
    "request_id": "funding.EmergencyRequest",
    "rule_id": "outreach.OutreachRule",
    "run_id": "incidents.ImportRun",
    "screen_id": "lethality.LethalityScreen",
    "service_id": "assistance.ServiceProvided",
    "shift_id": "oncall.OnCallShift",
    "source_id": "funding.FundingSource",
    "step_id": "protocols.ProtocolStep",
    "task_id": "cases.Task",
    "template_id": "protocols.ProtocolTemplate",
    "token_id": "integrations.ApiToken",
}
# Not staff pages, or not a page: signing out, the public and partner pages, the API, the
# case page's panels and forms (loaded into the case page, benchmarked with it).
SKIPPED_NAMES = {"logout", "healthz"}
SKIPPED_PREFIXES = ("api/", "public", "portal:", "partner", "sso:")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", default="var/bench-35k", help="a built demo database folder")
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated usernames")
    parser.add_argument("--requests", type=int, default=3, help="timed requests per page")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--only", default="", help="only routes whose name starts with this")
    return parser.parse_args(argv)


def values(agency, advocate):
    """{URL parameter: value} from the agency's own rows, centred on one case of the
    advocate's, open, with the most tasks among their first 100."""
    from django.apps import apps
    from django.db.models import Count

    from haven.cases.models import Case

    case = (
        Case.objects.filter(assigned_to=advocate, status="active")
        .annotate(n=Count("tasks"))
        .order_by("-n", "pk")[:1]
        .get()
    )
    found = {"case_id": case.pk, "person_id": case.primary_victim_id}
    for name, label in MODELS.items():
        model = apps.get_model(label)
        rows = model.objects.all()
        if any(f.name == "agency" for f in model._meta.fields):
            rows = rows.filter(agency=agency)
        if any(f.name == "case" for f in model._meta.fields):
            on_case = rows.filter(case=case).order_by("-pk").first()
            if on_case is not None:
                found[name] = on_case.pk
                continue
        row = rows.order_by("-pk").first()
        if row is not None:
            found[name] = row.pk
    return found


def pages(known: dict, only: str):
    """(route name, path) of every GET page whose parameters are all in `known`."""
    from haven.core.tests.test_tenant_isolation import all_routes, fill

    for name, route, _ in all_routes():
        if name in SKIPPED_NAMES or route.startswith(SKIPPED_PREFIXES[0]):
            continue
        if name.startswith(SKIPPED_PREFIXES[1:]) or "<panel>" in route or "<form>" in route:
            continue
        if not name.startswith(only):
            continue
        params = {p.split(":")[-1] for p in re.findall(r"<([^>]+)>", route)}
        if params <= set(known):
            yield name, fill(route, known)


def measure(client, path, requests):
    """(status, queries, bytes, [CPU ms per request]) of one page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)  # warm: the role's first pages load templates and caches
    if response.status_code != 200:
        return response.status_code, 0, 0, []
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    queries = len(ctx)  # now: the next request empties the log ctx reads from
    times = []
    for _ in range(requests):
        started = time.process_time()
        client.get(path)
        times.append((time.process_time() - started) * 1000)
    return 200, queries, len(response.content), times


def sweep(args):
    os.environ.update(bench_env((ROOT / args.var).resolve()))
    import django

    django.setup()
    import logging

    from django.test import Client

    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the refusals' 403s

    from haven.agencies.demo import FIRST_SLUG
    from haven.agencies.models import Membership
    from haven.core.scoping import all_agencies

    with all_agencies():
        members = {
            m.user.username: m
            for m in Membership.objects.select_related("user", "agency").filter(
                agency__slug=FIRST_SLUG, user__username__in=args.roles.split(",") + ["advocate"]
            )
        }
        known = values(members["advocate"].agency, members["advocate"])
    walk = list(pages(known, args.only))
    print(f"{len(walk)} pages x {args.roles}, {args.requests} timed requests each; load {load()}")
    results = []
    for role in args.roles.split(","):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(members[role].user)
        for name, path in walk:
            status, queries, size, times = measure(client, path, args.requests)
            if status == 200:
                results.append((statistics.median(times), name, role, queries, size, path))
    results.sort(reverse=True)
    print(f"{'page':<36} {'role':<12} {'CPU ms p50':>10} {'queries':>8} {'KB':>7}  path")
    for p50, name, role, queries, size, path in results[: args.top]:
        print(f"{name:<36} {role:<12} {p50:>10.0f} {queries:>8} {size / 1024:>7.0f}  {path}")
    print(f"{len(results)} (page, role) pairs answered 200; load {load()}")


if __name__ == "__main__":
    sweep(parse_args(sys.argv[1:]))
