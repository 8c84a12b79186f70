"""The releases section of the case page, recording, revoking and printing a release, the
"expiring soon" list and the agency's settings, through the web client."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from haven.audit.models import AuditAction
from haven.cases.models import CaseEvent, CaseEventKind
from haven.consent.models import ConsentSettings, ReleaseOfInformation

from .conftest import today


def _post(cast, shelter, **overrides):
    data = {
        "recipient_organization": shelter.pk,
        "purposes": ["referral"],
        "categories": ["identity", "contact"],
        "method": "paper",
        "signed_on": today(cast.agency_a).isoformat(),
        "expires_on": (today(cast.agency_a) + timedelta(days=90)).isoformat(),
        "signer_relation": "self",
        "informed_confirmed": "on",
    }
    data.update(overrides)
    return data


def test_the_case_page_lists_each_persons_releases_with_their_state(
    client_as, cast, record, shelter
):
    record()
    page = client_as("advocate").get(reverse("cases:panel", args=[cast.case_a.pk, "releases"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Releases of information" in html
    assert "Safe Harbor Shelter" in html and "expires in 90 days" in html


def test_a_specialist_records_a_paper_release_and_it_is_audited_and_on_the_timeline(
    client_as, cast, shelter, new_audit_events
):
    client = client_as("advocate")
    url = reverse("consent:new", args=[cast.case_a.pk, cast.case_a.primary_victim_id])
    assert client.get(url).status_code == 200
    response = client.post(url, _post(cast, shelter))
    assert response.status_code == 302
    release = ReleaseOfInformation.objects.get()
    assert release.recipient_organization == shelter
    assert release.purposes == ["referral"] and release.categories == ["identity", "contact"]
    assert new_audit_events(action=AuditAction.CONSENT_RECORD)[0].object_id == str(release.pk)
    event = CaseEvent.objects.get(case=cast.case_a, kind=CaseEventKind.CONSENT)
    assert "Safe Harbor Shelter" in event.data["summary"]


def test_a_release_without_the_informed_confirmation_is_refused_saying_what_to_do(
    client_as, cast, shelter
):
    url = reverse("consent:new", args=[cast.case_a.pk, cast.case_a.primary_victim_id])
    data = _post(cast, shelter)
    del data["informed_confirmed"]
    response = client_as("advocate").post(url, data)
    assert response.status_code == 400
    assert "services never depend on signing" in response.content.decode()
    assert not ReleaseOfInformation.objects.exists()


def test_an_electronic_signature_keeps_the_typed_name_the_moment_and_the_ip(
    client_as, cast, shelter
):
    url = reverse("consent:new", args=[cast.case_a.pk, cast.case_a.primary_victim_id])
    data = _post(cast, shelter, method="esignature", esign_typed_name="dana reyes")
    response = client_as("advocate").post(url, data, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    release = ReleaseOfInformation.objects.get()
    assert release.esign_typed_name == "dana reyes"
    assert release.esign_at is not None and release.esign_ip == "203.0.113.9"


def test_revoking_takes_effect_at_once_and_is_audited(client_as, cast, record, new_audit_events):
    release = record()
    url = reverse("consent:revoke", args=[cast.case_a.pk, release.pk])
    response = client_as("advocate").post(url, {"method": "verbal", "reason": "Changed mind"})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.revoked_at is not None and not release.is_in_force()
    assert release.revocation_reason == "Changed mind"
    assert new_audit_events(action=AuditAction.CONSENT_REVOKE)
    again = client_as("advocate").post(url, {"method": "verbal", "reason": "Again"})
    assert again.status_code == 400


def test_the_blank_form_prints_in_spanish_and_the_filled_one_names_the_recipient(
    client_as, cast, record, new_audit_events
):
    release = record()
    client = client_as("advocate")
    blank = client.get(
        reverse("consent:blank_form", args=[cast.case_a.pk, cast.case_a.primary_victim_id])
        + "?lang=es"
    )
    assert blank["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(blank.content)).pages)
    assert "Autorización para divulgar información" in text and "Dana Reyes" in text
    filled = client.get(reverse("consent:pdf", args=[cast.case_a.pk, release.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(filled.content)).pages)
    assert "Authorization to release information" in text and "Safe Harbor Shelter" in text
    assert len(new_audit_events(action=AuditAction.CONSENT_FORM)) == 2


def test_the_expiring_list_shows_the_specialists_own_and_supervisors_see_everyones(
    client_as, cast, record, alice, sam
):
    from haven.consent.selectors import expiring_count

    record(expires_on=today(cast.agency_a) + timedelta(days=5))
    record(expires_on=today(cast.agency_a) + timedelta(days=60))
    assert expiring_count(alice) == 1 and expiring_count(sam) == 1
    assert expiring_count(cast.actor("advocate2")) == 0
    page = client_as("advocate").get(reverse("consent:expiring"))
    assert page.status_code == 200 and "Safe Harbor Shelter" in page.content.decode()
    bob_page = client_as("advocate2").get(reverse("consent:expiring"))
    assert "Safe Harbor Shelter" not in bob_page.content.decode()
    sam_page = client_as("supervisor").get(reverse("consent:expiring"))
    assert "Safe Harbor Shelter" in sam_page.content.decode()


def test_officers_and_other_agencies_cannot_reach_releases(client_as, cast, record):
    release = record()
    detail = reverse("consent:detail", args=[cast.case_a.pk, release.pk])
    assert client_as("officer").get(detail).status_code == 403
    assert client_as("other_advocate").get(detail).status_code == 404


def test_a_coordinator_sets_the_terms_within_bounds(client_as, cast, new_audit_events):
    client = client_as("coordinator")
    url = reverse("consent:settings")
    bad = client.post(url, {"default_days": 400, "max_days": 365, "expiring_window_days": 14})
    assert bad.status_code == 400 and not ConsentSettings.objects.exists()
    good = client.post(
        url,
        {"default_days": 60, "max_days": 180, "minor_assent_age": 14, "expiring_window_days": 10},
    )
    assert good.status_code == 302
    conf = ConsentSettings.objects.get(agency=cast.agency_a)
    assert (conf.default_days, conf.max_days, conf.minor_assent_age) == (60, 180, 14)
    assert new_audit_events(action=AuditAction.CONSENT_SETTINGS)
    assert client_as("advocate").get(url).status_code == 403


def test_no_consent_route_reaches_another_agencys_release(client, cast):
    from .helpers import other_agency_release

    theirs = other_agency_release(cast)["release_id"]
    paths = [
        reverse("consent:detail", args=[cast.case_b.pk, theirs]),
        reverse("consent:revoke", args=[cast.case_b.pk, theirs]),
        reverse("consent:pdf", args=[cast.case_b.pk, theirs]),
        reverse("consent:detail", args=[cast.case_a.pk, theirs]),
        reverse("consent:new", args=[cast.case_b.pk, cast.case_b.primary_victim_id]),
        reverse("consent:blank_form", args=[cast.case_b.pk, cast.case_b.primary_victim_id]),
    ]
    for role in ("advocate", "supervisor", "coordinator", "officer", "analyst", "auditor"):
        client.force_login(getattr(cast, role).user)
        for path in paths:
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                assert response.status_code in (403, 404, 405), f"{method} {path} as {role}"
                assert b"Lakeside" not in response.content
    assert ReleaseOfInformation.objects.get(pk=theirs).revoked_at is None


@pytest.mark.parametrize(
    ("language", "words"),
    [("pl", "Zgoda na udostępnienie"), ("zh", "信息披露授权书"), ("ar", "الإفصاح")],
)
def test_the_blank_form_prints_in_polish_chinese_and_arabic(client_as, cast, sam, language, words):
    from haven.people.services import person_update

    person_update(actor=sam, person=cast.case_a.primary_victim, preferred_language=language)
    blank = client_as("advocate").get(
        reverse("consent:blank_form", args=[cast.case_a.pk, cast.case_a.primary_victim_id])
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(blank.content)).pages)
    assert words in text and "Authorization" not in text


def test_a_language_without_a_form_prints_english_and_the_specialist_is_told(client_as, cast, sam):
    from haven.people.services import person_update

    victim = cast.case_a.primary_victim
    person_update(actor=sam, person=victim, preferred_language="ru")
    page = client_as("advocate").get(reverse("consent:new", args=[cast.case_a.pk, victim.pk]))
    assert "Haven has no release form in Russian: it prints in English." in page.content.decode()
