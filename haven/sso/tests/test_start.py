"""The sign-in page's entry: a work email or an agency's code leads to that agency's provider."""

import pytest

from haven.cases.testing import make_agency
from haven.sso.models import IdentityProvider

pytestmark = pytest.mark.django_db


def _provider(agency, **extra):
    fields = {
        "issuer": f"https://login.example.org/{agency.slug}",
        "client_id": "haven",
        "client_secret": "s3cret",
        "enabled": True,
    } | extra
    return IdentityProvider.objects.create(agency=agency, **fields)


def test_a_work_email_leads_to_its_agencys_provider(client, cast):
    _provider(cast.agency_a, email_domains="riversidepd.gov, riverside.example")
    response = client.post("/sso/", {"entry": "Alice@RiversidePD.gov", "next": "/cases/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/sso/riverside/login/?")
    assert "login_hint=Alice%40RiversidePD.gov" in response["Location"]
    assert "next=%2Fcases%2F" in response["Location"]


def test_an_agency_code_leads_to_its_provider(client, cast):
    _provider(cast.agency_a)
    response = client.post("/sso/", {"entry": " Riverside "})
    assert response["Location"] == "/sso/riverside/login/"


def test_a_shared_domain_lets_the_person_choose(client, cast):
    _provider(cast.agency_a, email_domains="county.example")
    _provider(cast.agency_b, email_domains="county.example")
    response = client.post("/sso/", {"entry": "pat@county.example"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "/sso/riverside/login/" in page and "/sso/lakeside/login/" in page


def test_a_domain_is_matched_whole(client, cast):
    _provider(cast.agency_a, email_domains="riverside.example")
    response = client.post("/sso/", {"entry": "pat@side.example"})
    assert response.status_code == 400


def test_an_unknown_entry_says_so(client, cast):
    _provider(cast.agency_a, enabled=False, email_domains="riverside.example")
    for entry in ("alice@riverside.example", "riverside", "nowhere"):
        response = client.post("/sso/", {"entry": entry})
        assert response.status_code == 400
        assert "No agency signs in through its own identity provider" in (response.content.decode())


def test_an_empty_entry_is_refused_without_an_error_page(client, cast):
    assert client.post("/sso/", {"entry": ""}).status_code == 400
    page = client.get("/sso/")
    assert page.status_code == 200
    assert "Your work email or your agency" in page.content.decode()


def test_another_agency_can_use_the_same_code_space(client, db):
    agency = make_agency("Campus Police", "campus")
    _provider(agency)
    assert client.post("/sso/", {"entry": "campus"})["Location"] == "/sso/campus/login/"
