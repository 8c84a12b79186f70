"""Leak tests: every route, export and API answer that could carry a victim's identity, tried
by everyone who must not see it (officer, analyst, auditor, an integration token, anonymous,
another agency), and the case-list export tried with every kind of release that must not
cover it (none, expired, revoked, another recipient, another purpose, a missing category).
The victim's name, date of birth, phone and address, and the case's shareable note, never
appear; every refused disclosure is audited.

(The referrals helper tests its own partner link; this file covers the rest.)
"""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from haven.audit.models import AuditAction
from haven.cases.services import note_add
from haven.consent.models import RevocationMethod
from haven.consent.services import release_revoke
from haven.core.tests.sweep import page_text
from haven.integrations.services import api_token_create
from haven.people.models import ContactKind
from haven.people.services import contact_point_add

from .conftest import age_back

SHAREABLE_NOTE = "Shareable: prefers the Elm Street clinic"
PRIVILEGED_NOTE = "Victim asked to be called after 5pm at work."
SKIPPED = {"logout"}


def all_routes(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def fill(route: str, values: dict) -> str:
    """The route with our own agency's objects where we know them, and a number that matches
    nothing elsewhere (a 404 shows nothing either way)."""
    path = "/" + route
    for name, value in values.items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    path = re.sub(r"<int:[^>]+>", "999999", path)
    return re.sub(r"<[^>]+>", "x" * 32, path)


@pytest.fixture
def exposed(cast, alice, record):
    """Agency A's victim with every kind of identifying data, a shareable note, and releases
    that must not cover a disclosure to Safe Harbor Shelter for referral (identity, contact)."""
    victim = cast.case_a.primary_victim
    type(victim).objects.filter(pk=victim.pk).update(date_of_birth=date(1990, 4, 17))
    contact_point_add(
        actor=alice, person=victim, kind=ContactKind.ADDRESS, value="1412 W Elm Street, Apt 3"
    )
    note_add(actor=alice, case=cast.case_a, body=SHAREABLE_NOTE, visibility="shareable")
    release = record()
    return {
        "victim": victim,
        "release": release,
        "secrets": [
            "Dana",
            "Reyes",
            "1990-04-17",
            "April 17, 1990",
            "555-0142",
            "5550142",
            "Elm Street",
            SHAREABLE_NOTE,
            PRIVILEGED_NOTE,
        ],
        "values": {
            "case_id": cast.case_a.pk,
            "panel": "releases",
            "person_id": victim.pk,
            "release_id": release.pk,
            "task_id": cast.case_a.tasks.first().pk,
        },
    }


@pytest.fixture
def walker(client):
    """The test client, answering a crash with a bare 500 page (which shows nothing) rather
    than raising: the walk is about what leaks, and other apps are built in parallel."""
    client.raise_request_exception = False
    return client


def _assert_clean(response, secrets, where):
    body = page_text(response)
    for secret in secrets:
        assert secret not in body, f"{where} shows {secret!r}"


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor", "other_advocate"])
def test_no_route_shows_a_victims_identity_to_someone_outside_victim_services(
    walker, cast, exposed, role
):
    client = walker
    client.force_login(getattr(cast, role).user)
    routes = [r for r in all_routes() if r[0] not in SKIPPED]
    assert len(routes) > 20
    for name, route in routes:
        path = fill(route, exposed["values"])
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            _assert_clean(
                response, exposed["secrets"], f"{method.upper()} {path} ({name}) as {role}"
            )


def test_no_route_shows_a_victims_identity_to_anyone_signed_out(walker, cast, exposed):
    client = walker
    for name, route in all_routes():
        path = fill(route, exposed["values"])
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            _assert_clean(response, exposed["secrets"], f"{method.upper()} {path} ({name}) anon")


def test_an_integration_token_reads_nothing_through_the_api(walker, cast, cora, exposed):
    client = walker
    _token, secret = api_token_create(actor=cora, name="Riverside RMS")
    api_routes = [(n, r) for n, r in all_routes() if r.startswith("api/")]
    assert any(n == "api:case_detail" for n, _ in api_routes)
    for name, route in api_routes:
        path = fill(route, exposed["values"])
        for method in ("get", "post"):
            response = getattr(client, method)(path, HTTP_AUTHORIZATION=f"Bearer {secret}")
            _assert_clean(response, exposed["secrets"], f"{method.upper()} {path} ({name}) token")
            if name in ("api:case_list", "api:case_detail", "api:served"):
                assert response.status_code in (401, 403, 405), f"{path} {method}"


def test_the_officers_served_lookup_says_only_who_serves_the_victim(client_as, cast, exposed):
    from haven.people.models import Person

    Person.objects.filter(pk=exposed["victim"].pk).update(preferred_name="Dee")
    client = client_as("officer")
    by_report = client.get(reverse("cases:served"), {"report_number": "JA100001"}).content
    page = by_report.decode()
    assert "Dana Reyes" in page and "Alice Avery" in page  # the name on the officer's report
    assert "Dee" not in page  # never the preferred name the victim gave victim services
    for secret in exposed["secrets"][2:]:
        assert secret not in page
    by_name = client.get(reverse("cases:served"), {"last_name": "Reyes"}).content.decode()
    assert "D. Reyes" in by_name and "Dana" not in by_name and "JA100001" not in by_name
    api = client.get("/api/v1/served/", {"last_name": "reyes"}).json()
    assert api == [
        {
            "victim_name": "D. Reyes",
            "report_number": "",
            "being_served": True,
            "status_label": "Referred, not yet reached",
            "specialist": "Alice Avery",
            "specialist_phone": "312-555-0101",
        }
    ]


def test_shareable_notes_reach_caseworkers_only(client_as, cast, exposed):
    case_url = reverse("cases:detail", args=[cast.case_a.pk])
    assert SHAREABLE_NOTE in client_as("advocate").get(case_url).content.decode()
    api = f"/api/v1/cases/{cast.case_a.pk}/"
    for role in ("officer", "analyst", "auditor"):
        client = client_as(role)
        for url in (case_url, api):
            response = client.get(url)
            assert response.status_code in (403, 404)
            assert SHAREABLE_NOTE not in response.content.decode()


# The case-list export.


def _export(client, **data):
    session = client.session
    session["sudo_until"] = 4102444800  # the password re-confirmed (haven.core.sudo)
    session.save()
    return client.post(reverse("consent:case_export"), {"reason": "Shelter coordination"} | data)


def _rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_export_is_de_identified_unless_a_recipient_and_purpose_are_named(
    client_as, cast, exposed, new_audit_events
):
    response = _export(client_as("supervisor"))
    assert response.status_code == 200
    _assert_clean(response, exposed["secrets"] + ["JA100001"], "de-identified export")
    [row] = _rows(response)
    assert "victim_name" not in row and "report_number" not in row
    assert row["case_number"] == cast.case_a.number
    [event] = new_audit_events(action=AuditAction.CASE_EXPORT)
    assert event.details["identified"] is False and event.details["withheld"] == 0


def test_the_export_names_a_victim_whose_release_covers_it(
    client_as, cast, exposed, shelter, record, new_audit_events
):
    record(categories=["identity", "case_facts"])
    response = _export(
        client_as("supervisor"), recipient_organization=shelter.pk, purpose="referral"
    )
    [row] = _rows(response)
    assert row["victim_name"] == "Dana Reyes" and row["report_number"] == "JA100001"
    [event] = new_audit_events(action=AuditAction.CASE_EXPORT)
    assert event.details["identified_ids"] == [cast.case_a.pk]
    assert event.details["recipient"] == "Safe Harbor Shelter"
    assert not new_audit_events(action=AuditAction.CONSENT_REFUSED)


def _expired(record, **_):
    return age_back(record(categories=["identity", "case_facts"]), days=1)


def _revoked(record, alice, **_):
    release = record(categories=["identity", "case_facts"])
    return release_revoke(
        actor=alice, release=release, method=RevocationMethod.WRITTEN, reason="Letter"
    )


def _other_recipient(record, legal_aid, **_):
    return record(recipient_organization=legal_aid, categories=["identity", "case_facts"])


def _other_purpose(record, **_):
    return record(purposes=["legal_advocacy"], categories=["identity", "case_facts"])


def _missing_category(record, **_):
    return record(categories=["identity"])  # no case_facts: the report number


def _named_elsewhere(record, **_):
    return record(recipient_name="Safe Harbor", categories=["identity", "case_facts"])


@pytest.mark.parametrize(
    "make",
    [
        None,
        _expired,
        _revoked,
        _other_recipient,
        _other_purpose,
        _missing_category,
        _named_elsewhere,
    ],
    ids=[
        "none",
        "expired",
        "revoked",
        "other-recipient",
        "other-purpose",
        "missing-category",
        "named-recipient",
    ],
)
def test_the_export_withholds_identity_no_release_covers_and_audits_it(
    client_as, cast, exposed, shelter, legal_aid, record, alice, new_audit_events, make
):
    # The fixture's release covers identity and contact only; the export needs case facts too.
    if make is not None:
        make(record=record, alice=alice, legal_aid=legal_aid)
    response = _export(
        client_as("supervisor"), recipient_organization=shelter.pk, purpose="referral"
    )
    assert response.status_code == 200
    _assert_clean(response, exposed["secrets"] + ["JA100001"], "withheld export")
    [row] = _rows(response)
    assert row["victim_name"] == row["report_number"] == "withheld: no release"
    [refused] = new_audit_events(action=AuditAction.CONSENT_REFUSED)
    assert refused.details["withheld_case_ids"] == [cast.case_a.pk]
    assert refused.details["channel"] == "export"
    assert refused.details["purpose"] == "referral"
    assert "Dana" not in refused.reason
    [event] = new_audit_events(action=AuditAction.CASE_EXPORT)
    assert event.details["withheld"] == 1


def test_a_purpose_without_a_recipient_is_refused(client_as, cast, exposed):
    response = _export(client_as("supervisor"), purpose="referral")
    assert response.status_code == 400
    assert "Name the recipient" in response.content.decode()


def test_another_agencys_release_never_names_our_victim(client_as, cast, exposed, new_audit_events):
    from haven.partners.models import Organization

    theirs = Organization.objects.create(agency=cast.agency_b, name="Lakeside Shelter")
    response = _export(
        client_as("supervisor"), recipient_organization=theirs.pk, purpose="referral"
    )
    # Another agency's organization counts as none named: the form asks for a recipient.
    assert response.status_code == 400
    assert not new_audit_events(action=AuditAction.CASE_EXPORT)
    _assert_clean(response, exposed["secrets"], "export to another agency's partner")
