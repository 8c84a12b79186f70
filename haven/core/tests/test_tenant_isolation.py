"""Walk every URL and API route as each member of agency A against agency B's objects.

A route with an object in its path must answer 404 (or refuse the role outright), and a route
without one must not show a byte of B's data. A new route whose path takes an object this test
does not know fails here until it is added to `b_objects`: nothing new escapes the walk.
"""

import itertools
import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from haven.accounts.models import PasskeyDevice
from haven.audit.models import AuditEvent
from haven.cases.models import CaseEvent, Contact, Note, Task
from haven.core.tests.sweep import page_text
from haven.crisis.models import CallOut
from haven.portal.models import StatusPage

ROLES_OF_A = ["advocate", "advocate2", "supervisor", "coordinator", "officer", "analyst", "auditor"]
# logout signs the test client out; healthz is public and names no agency (haven/ops tests).
# An agency's public help page shows what that agency publishes, to anyone (haven/public tests:
# each agency shows its own page and nothing of another's).
SKIPPED = {"logout", "healthz", "public:help", "public:help_language"}


def all_routes(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry.callback


def b_objects(cast):
    task_b = Task.objects.filter(case=cast.case_b).first() or Task.objects.create(
        agency=cast.agency_b, case=cast.case_b, title="B's task", due_at=cast.case_b.received_at
    )
    from haven.integrations.models import ApiToken

    token_b = ApiToken.objects.create(
        agency=cast.agency_b, name="B's RMS", prefix="hvn_bbbbbbbb", digest="b" * 64
    )
    from haven.outreach.models import OutreachRule

    rule_b = OutreachRule.objects.create(
        agency=cast.agency_b, name="B's rule", victimization="domestic_violence"
    )
    from haven.incidents.models import ImportRun, Incident, IncidentPerson, MatchCandidate

    run_b = ImportRun.objects.create(
        agency=cast.agency_b, profile="nibrs", file_name="LB900001.jsonl", actor_label="charlie"
    )
    on_report_b = IncidentPerson.objects.create(
        agency=cast.agency_b,
        incident=Incident.objects.create(
            agency=cast.agency_b,
            report_number="LB900001",
            reported_at=cast.case_b.received_at,
            source_profile="nibrs",
            source_hash="b" * 64,
        ),
        position=1,
        role="victim",
        first_name="Erin",
        last_name="Lakeside",
    )
    candidate_b = MatchCandidate.objects.create(
        agency=cast.agency_b,
        incident_person=on_report_b,
        person=cast.case_b.primary_victim,
        score=90,
        reasons=["same name"],
    )
    from haven.compensation.tests.helpers import other_agency_compensation
    from haven.consent.tests.helpers import other_agency_release
    from haven.documents.tests.helpers import other_agency_documents
    from haven.followup.tests.helpers import other_agency_followups
    from haven.funding.tests.helpers import other_agency_funding
    from haven.justice.tests.helpers import other_agency_justice
    from haven.lethality.testing import make_screen
    from haven.notices.tests.helpers import other_agency_message
    from haven.oncall.tests.helpers import other_agency_objects
    from haven.partners.tests.helpers import other_agency_partners
    from haven.program.tests.helpers import other_agency_program
    from haven.protocols.tests.helpers import other_agency_protocols
    from haven.referrals.tests.helpers import other_agency_referral
    from haven.reports.tests.helpers import other_agency_reports
    from haven.retention.tests.helpers import other_agency_retention

    return {
        **other_agency_followups(cast),  # followup_id, followup_rule_id
        **other_agency_objects(cast),  # shift_id, slot_id, holiday_id
        # partner_org_id, partner_service_id, partner_location_id, partner_schedule_id,
        # partner_contact_id, mou_id
        **other_agency_partners(cast),
        **other_agency_referral(cast),  # referral_id, partner_service_id, partner_agency, ...
        **other_agency_justice(cast),  # court_case_id, court_event_id, obligation_id, ...
        **other_agency_release(cast),  # release_id
        **other_agency_compensation(cast),  # claim_id, expense_id, order_id
        **other_agency_message(cast),  # message_id, token (notices)
        **other_agency_reports(cast),  # survey_invitation_id (reports)
        **other_agency_protocols(cast),  # template_id, step_id (protocols)
        **other_agency_program(cast),  # activity_id (program)
        **other_agency_funding(cast),  # source_id, request_id (funding)
        **other_agency_documents(cast),  # document_id (documents; no file stored)
        **other_agency_retention(cast),  # hold_id, batch_id, certificate_id (retention)
        "page_id": StatusPage.objects.create(  # portal: B's victim's status page
            agency=cast.agency_b,
            case=cast.case_b,
            person=cast.case_b.primary_victim,
            token_digest="b" * 64,
            expires_at=cast.case_b.received_at + timedelta(days=90),
        ).pk,
        # haven.accounts: B's member in a reset link (never valid without its token);
        # haven.platform: B itself (operators only, so A's members are refused outright).
        "uidb64": urlsafe_base64_encode(force_bytes(cast.other_advocate.user_id)),
        "agency_id": cast.agency_b.pk,
        "slug": cast.agency_b.slug,  # sso: B's sign-in through its provider (none set: 404)
        "run_id": run_b.pk,
        "candidate_id": candidate_b.pk,
        "upload_id": "b" * 32,  # uploads are found through the member's own session
        "rule_id": rule_b.pk,
        "member_id": cast.other_advocate.pk,
        "token_id": token_b.pk,
        "device_id": PasskeyDevice.objects.create(
            user=cast.other_advocate.user, name="B's key", credential_id="b-key", public_key=b"k"
        ).pk,
        "case_id": cast.case_b.pk,
        "panel": "releases",  # a case page panel loaded when opened (cases/panels.py)
        "form": "note",  # a case page form built when opened (cases/panels.py FORMS)
        "person_id": cast.case_b.primary_victim_id,
        "task_id": task_b.pk,
        "screen_id": make_screen(cast.case_b).pk,
        # haven.crisis: B's call-out on B's case, and a step of it.
        "callout_id": CallOut.objects.create(
            agency=cast.agency_b,
            requested_by="officer",
            requested_at=cast.case_b.received_at,
            place="scene",
            case=cast.case_b,
        ).pk,
        "step": "arrived",
        "service_id": cast.case_b.services.create(
            agency=cast.agency_b, person=cast.case_b.primary_victim, category="C", sub_service="C1"
        ).pk,
    }


def fill(route: str, values: dict) -> str:
    path = "/" + route
    for name, value in values.items():
        for converter in ("int:", "slug:", "str:", ""):
            path = path.replace(f"<{converter}{name}>", str(value))
    return path


B_SECRETS = ["Erin", "Lakeside", "LB900001", "Charlie Chen"]
POST_BODY = {
    "outcome": "completed",
    "channel": "phone",
    "direction": "outbound",
    "occurred_at": "2026-01-01T10:00",
    "body": "leak?",
    "visibility": "privileged",
    "title": "leak?",
    "due_at": "2026-01-02T10:00",
    "status": "closed",
    "reason": "probe",
    "summary": "leak?",
}


@pytest.mark.django_db
def test_no_route_reaches_another_agencys_records(client, cast):
    objects = b_objects(cast)
    counts_before = _b_counts(cast)
    routes = [r for r in all_routes() if r[0] not in SKIPPED]
    assert len(routes) > 15
    walk = []
    for name, route, callback in routes:
        params = {part[1:-1].split(":")[-1] for part in _placeholders(route)}
        unknown = params - set(objects)
        assert not unknown, f"{name}: teach this test about {unknown}"
        walk.append((fill(route, objects), bool(params), _refused_before_the_view(callback)))
    # A new address for every request: the partner pages stop answering an address that has
    # guessed too many wrong links (429), which would hide what the route itself answers.
    addresses = (f"10.{n // 65536}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))
    for role in ROLES_OF_A:
        signed_in = _signed_in_session(client, getattr(cast, role).user)
        for path, has_params, refused in walk:
            _fresh_session(client, signed_in)  # what a request leaves in it never carries on
            for method in ("get", "post"):
                if method in refused and role != ROLES_OF_A[0]:
                    # The view's outermost decorator answers 405 before the view or its role
                    # checks run, the same for every role: asked once, as the first role.
                    continue
                where = f"{method.upper()} {path} as {role}"
                response = getattr(client, method)(
                    path, POST_BODY if method == "post" else None, REMOTE_ADDR=next(addresses)
                )
                if has_params:
                    assert response.status_code in (403, 404, 405), where
                else:
                    assert response.status_code in (200, 302, 400, 403, 405), where
                body = page_text(response)
                for secret in B_SECRETS:
                    assert secret not in body, f"{where} shows {secret!r}"
    assert _b_counts(cast) == counts_before


def _refused_before_the_view(callback) -> set[str]:
    """The methods a function view's outermost decorator (`require_GET`, `require_POST`,
    `require_http_methods`) answers with 405 before the view or any role check runs."""
    names = getattr(getattr(callback, "__code__", None), "co_freevars", ())
    cells = dict(zip(names, getattr(callback, "__closure__", None) or (), strict=True))
    if "request_method_list" not in cells:
        return set()
    allowed = {m.lower() for m in cells["request_method_list"].cell_contents}
    return {"get", "post"} - allowed


def _signed_in_session(client, user) -> dict:
    client.force_login(user)
    return dict(client.session.items())


def _fresh_session(client, data: dict) -> None:
    """A new session holding what signing in put there: as if the member had just signed in."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session.update(data)
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def _placeholders(route: str) -> list[str]:

    return re.findall(r"<[^>]+>", route)


def _b_counts(cast):
    return {
        "events": CaseEvent.objects.filter(agency=cast.agency_b).count(),
        "contacts": Contact.objects.filter(agency=cast.agency_b).count(),
        "notes": Note.objects.filter(agency=cast.agency_b).count(),
        "tasks_done": Task.objects.filter(agency=cast.agency_b, completed_at__isnull=False).count(),
        "audit_b": AuditEvent.objects.filter(agency_id=cast.agency_b.pk).count(),
        "b_case": (
            cast.case_b.__class__.objects.get(pk=cast.case_b.pk).status,
            cast.case_b.__class__.objects.get(pk=cast.case_b.pk).assigned_to_id,
        ),
    }


@pytest.mark.django_db
def test_a_query_without_an_agency_scope_raises():
    from django_scopes import ScopeError, scope

    from haven.cases.models import Case

    with scope(), pytest.raises(ScopeError):
        list(Case.objects.all())


@pytest.mark.django_db
def test_a_request_only_sees_its_own_agency_even_if_a_filter_is_forgotten(rf, cast):
    """The middleware's scope filters a bare manager query to the member's agency."""
    from haven.accounts.middleware import ActorMiddleware
    from haven.cases.models import Case

    seen = {}

    def view(request):
        seen["numbers"] = set(Case.objects.values_list("agency_id", flat=True))
        from django.http import HttpResponse

        return HttpResponse()

    request = rf.get("/")
    request.user = cast.advocate.user
    request.session = {}
    ActorMiddleware(view)(request)
    assert seen["numbers"] == {cast.agency_a.pk}
