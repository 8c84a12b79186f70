"""The directory's pages: who may browse, who may edit, and what each change leaves behind."""

import io
import random
import zipfile

import pytest
from django.urls import reverse

from haven.audit.models import AuditAction
from haven.partners.models import (
    MOU,
    Contact,
    Location,
    Organization,
    PartnerSettings,
    Schedule,
    Service,
)
from haven.partners.tests.helpers import build_directory
from haven.partners.tests.test_hsds import package

CASEWORKERS = ["advocate", "supervisor", "coordinator"]
NOT_CASEWORKERS = ["officer", "analyst", "auditor"]
PARTNER_ACTIONS = [a for a in AuditAction if a.startswith(("partner.", "mou."))]


@pytest.fixture
def directory(cast):
    return build_directory(cast.agency_a)


@pytest.mark.parametrize("role", CASEWORKERS)
def test_every_caseworker_browses_and_searches_the_directory(client_as, directory, role):
    client = client_as(role)

    found = client.get(reverse("partners:search"), {"need": "legal_aid", "language": "pl"})
    org = client.get(reverse("partners:organization", args=[directory["legal"].pk]))
    listing = client.get(reverse("partners:organizations"))
    mous = client.get(reverse("partners:mous"))

    assert found.status_code == 200
    page = found.content.decode()
    assert "Protective order help" in page and "Safe Harbor" not in page
    assert "Mon–Fri 9:00 AM–5:00 PM" in page and "Polish" in page and "MOU in force" in page
    assert org.status_code == 200 and "Pat Lawson" in org.content.decode()
    assert "No MOU in force" not in org.content.decode()
    assert listing.status_code == 200 and "None in force" in listing.content.decode()
    assert mous.status_code == 200 and "Legal advocacy referrals" in mous.content.decode()


@pytest.mark.parametrize("role", NOT_CASEWORKERS)
def test_officers_analysts_and_auditors_do_not_browse_the_directory(client_as, directory, role):
    client = client_as(role)
    for url in (
        reverse("partners:search"),
        reverse("partners:organizations"),
        reverse("partners:organization", args=[directory["legal"].pk]),
        reverse("partners:mous"),
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["advocate", "supervisor", *NOT_CASEWORKERS])
def test_only_coordinators_edit_the_directory(client_as, directory, role, new_audit_events):
    client = client_as(role)
    org = directory["legal"]
    attempts = [
        ("post", reverse("partners:organization_new"), {"name": "Sneaky Org"}),
        ("post", reverse("partners:organization_edit", args=[org.pk]), {"name": "Renamed"}),
        ("post", reverse("partners:service_new", args=[org.pk]), {"name": "X", "status": "active"}),
        ("post", reverse("partners:service_edit", args=[directory["orders"].pk]), {"name": "Y"}),
        ("post", reverse("partners:location_new", args=[org.pk]), {"location_type": "virtual"}),
        ("post", reverse("partners:contact_new", args=[org.pk]), {"contact-name": "Z"}),
        ("post", reverse("partners:mou_new", args=[org.pk]), {"title": "T"}),
        ("post", reverse("partners:mou_edit", args=[directory["mou"].pk]), {"title": "T"}),
        ("post", reverse("partners:settings"), {"lapsing_days": "30"}),
        ("post", reverse("partners:import"), {}),
        ("post", reverse("partners:export"), {}),
        ("get", reverse("partners:import"), None),
    ]
    before = (Organization.objects.count(), Service.objects.count(), MOU.objects.count())

    for method, url, data in attempts:
        assert getattr(client, method)(url, data).status_code == 403, url

    assert (Organization.objects.count(), Service.objects.count(), MOU.objects.count()) == before
    assert Organization.objects.get(pk=org.pk).name == "Prairie Legal Aid"
    assert new_audit_events(action__in=PARTNER_ACTIONS) == []


def test_a_coordinator_adds_an_organization_with_a_service_location_hours_and_contact(
    client_as, cast, new_audit_events
):
    client = client_as("coordinator")

    response = client.post(
        reverse("partners:organization_new"),
        {"name": "Hope Counseling", "phone": "312-555-0177", "is_active": "on"},
    )
    org = Organization.objects.get(agency=cast.agency_a, name="Hope Counseling")
    assert response.status_code == 302
    assert org.phones.get().number == "+13125550177"
    client.post(
        reverse("partners:location_new", args=[org.pk]),
        {
            "location_type": "physical",
            "address_1": "5 Oak Ave",
            "city": "Riverside",
            "state_province": "IL",
            "postal_code": "60546",
        },
    )
    site = Location.objects.get(organization=org)
    response = client.post(
        reverse("partners:service_new", args=[org.pk]),
        {
            "name": "Trauma therapy",
            "status": "active",
            "needs": ["counseling", "mental_health"],
            "languages": ["en", "ar"],
            "other_languages": "so",
            "minimum_age": "12",
            "application_process": "Fax the referral form.",
            "areas": "Riverside\nBerwyn",
            "locations": [str(site.pk)],
        },
    )
    svc = Service.objects.get(organization=org)
    assert response.status_code == 302
    assert set(svc.languages.values_list("code", flat=True)) == {"en", "ar", "so"}
    assert set(svc.needs.values_list("code", flat=True)) == {"counseling", "mental_health"}
    assert list(svc.areas.values_list("name", flat=True)) == ["Berwyn", "Riverside"]
    client.post(
        reverse("partners:schedule_new", args=[svc.pk]),
        {"hours-days": ["SA"], "hours-opens_at": "10:00", "hours-closes_at": "14:00"},
    )
    client.post(
        reverse("partners:contact_new", args=[org.pk]),
        {"contact-name": "Lee Kim", "contact-title": "Intake", "contact-phone": "312 555 0178"},
    )

    assert Schedule.objects.get(service=svc).text == "Sat 10:00 AM–2:00 PM"
    assert Contact.objects.get(organization=org).phones.get().number == "+13125550178"
    assert [e.action for e in new_audit_events(action__in=PARTNER_ACTIONS)] == [
        AuditAction.PARTNER_ORG_SAVE,
        AuditAction.PARTNER_LOCATION_SAVE,
        AuditAction.PARTNER_SERVICE_SAVE,
        AuditAction.PARTNER_DETAIL_SAVE,
        AuditAction.PARTNER_DETAIL_SAVE,
    ]
    page = client.get(reverse("partners:search"), {"place": "Berwyn"}).content.decode()
    assert "Trauma therapy" in page and "Fax the referral form." in page


def test_a_service_form_with_mistakes_is_shown_again_and_changes_nothing(
    client_as, directory, new_audit_events
):
    client = client_as("coordinator")
    svc = directory["orders"]

    response = client.post(
        reverse("partners:service_edit", args=[svc.pk]),
        {"name": "Renamed", "status": "active", "minimum_age": "30", "maximum_age": "20"},
    )

    assert response.status_code == 400
    assert "The maximum age must not be below the minimum." in response.content.decode()
    assert Service.objects.get(pk=svc.pk).name == "Protective order help"
    assert new_audit_events(action__in=PARTNER_ACTIONS) == []


def test_a_coordinator_records_and_edits_an_mou(client_as, directory, new_audit_events):
    client = client_as("coordinator")
    shelter = directory["shelter"]

    response = client.post(
        reverse("partners:mou_new", args=[shelter.pk]),
        {
            "title": "Shelter referrals",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
            "renewal_status": "not_started",
            "services": [str(directory["beds"].pk)],
        },
    )
    mou = MOU.objects.get(organization=shelter)
    edit = client.post(
        reverse("partners:mou_edit", args=[mou.pk]),
        {
            "title": "Shelter referrals",
            "starts_on": "2026-01-01",
            "ends_on": "2025-12-31",
            "renewal_status": "not_started",
        },
    )

    assert response.status_code == 302
    assert list(mou.services.all()) == [directory["beds"]]
    assert edit.status_code == 400 and "must end on or after" in edit.content.decode()
    assert MOU.objects.get(pk=mou.pk).ends_on.isoformat() == "2027-12-31"
    assert len(new_audit_events(action=AuditAction.MOU_SAVE)) == 1


def test_the_lapsing_window_is_a_setting(client_as, cast, directory):
    client = client_as("coordinator")

    client.post(reverse("partners:settings"), {"lapsing_days": "90"})
    page = client.get(reverse("partners:mous"), {"lapsing": "1"}).content.decode()

    assert PartnerSettings.objects.get(agency=cast.agency_a).lapsing_days == 90
    assert "Ends in 65 days" in page


def test_the_import_page_lists_bad_rows_and_imports_nothing(client_as, cast):
    client = client_as("coordinator")
    data = package({"organization": [{"id": "nope", "name": "Org"}]})
    upload = io.BytesIO(data)
    upload.name = "bad.zip"

    response = client.post(reverse("partners:import"), {"package": upload})

    assert response.status_code == 400
    assert "organization.csv, line 2, id" in response.content.decode()
    assert not Organization.objects.filter(agency=cast.agency_a).exists()


def test_the_export_downloads_a_package_the_import_page_reads_back(client_as, cast, directory):
    client = client_as("coordinator")

    response = client.post(reverse("partners:export"))
    upload = io.BytesIO(response.content)
    upload.name = "directory.zip"
    again = client.post(reverse("partners:import"), {"package": upload})

    assert response["Content-Type"] == "application/zip"
    assert "riverside-partners-hsds" in response["Content-Disposition"]
    assert "organization.csv" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert again.status_code == 200 and "nothing to change" in again.content.decode()


def test_another_agencys_partner_is_not_found(client_as, cast):
    b = build_directory(cast.agency_b, prefix="Lakeside ")
    client = client_as("coordinator")

    assert client.get(reverse("partners:organization", args=[b["legal"].pk])).status_code == 404
    assert client.get(reverse("partners:mou_edit", args=[b["mou"].pk])).status_code == 404
    assert "Lakeside" not in client.get(reverse("partners:search")).content.decode()


def test_a_coordinator_removes_hours_and_contacts(client_as, directory, new_audit_events):
    client = client_as("coordinator")
    hours = directory["orders"].schedules.get()
    contact = directory["legal"].contacts.get()

    first = client.post(reverse("partners:schedule_remove", args=[hours.pk]))
    second = client.post(reverse("partners:contact_remove", args=[contact.pk]))

    assert first.status_code == second.status_code == 302
    assert not Schedule.objects.filter(pk=hours.pk).exists()
    assert not Contact.objects.filter(pk=contact.pk).exists()
    events = new_audit_events(action=AuditAction.PARTNER_DETAIL_SAVE)
    assert [e.details.get("removed") for e in events] == ["schedule", "contact"]


def test_a_location_needs_a_whole_address_or_none(client_as, directory):
    client = client_as("coordinator")
    site = directory["shelter_site"]

    partial = client.post(
        reverse("partners:location_edit", args=[site.pk]),
        {"location_type": "physical", "address_1": "9 New St", "city": "", "postal_code": ""},
    )
    none = client.post(
        reverse("partners:location_edit", args=[site.pk]),
        {"location_type": "physical", "name": "Confidential site"},
    )

    assert partial.status_code == 400 and "Needed for an address." in partial.content.decode()
    assert none.status_code == 302
    site.refresh_from_db()
    assert site.name == "Confidential site" and not site.addresses.exists()


def test_the_search_page_runs_a_fixed_number_of_queries(
    client_as, cast, directory, django_assert_max_num_queries
):
    from haven.partners.demo import seed_demo

    seed_demo(agency=cast.agency_a, rng=random.Random(1))
    client = client_as("advocate")
    client.get(reverse("partners:search"))  # warm the session and sign-in

    with django_assert_max_num_queries(25):
        response = client.get(reverse("partners:search"))

    assert response.content.decode().count("usa-card__heading") > 15


def test_the_organization_and_mou_lists_run_a_fixed_number_of_queries(
    client_as, cast, django_assert_max_num_queries
):
    from haven.partners.demo import seed_demo

    seed_demo(agency=cast.agency_a, rng=random.Random(2))
    client = client_as("coordinator")
    client.get(reverse("partners:organizations"))

    with django_assert_max_num_queries(15):
        orgs = client.get(reverse("partners:organizations"))
    with django_assert_max_num_queries(15):
        mous = client.get(reverse("partners:mous"))

    assert orgs.content.decode().count('data-label="Organization"') == 12
    assert mous.content.decode().count('data-label="Partner"') == 10
