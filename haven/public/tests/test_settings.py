"""The coordinator's help page settings: the unit's words per language, the services listed,
the quick exit's neutral site; the partner directory's "list on public page" flag."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.agencies.models import Agency
from haven.agencies.services import agency_quick_exit_set
from haven.audit.models import AuditAction
from haven.partners.models import Organization
from haven.public.models import HelpPageSettings, HelpPageText
from haven.public.services import help_services_save, help_text_save

pytestmark = pytest.mark.django_db


def test_a_coordinator_writes_the_units_text_in_polish_and_it_is_audited(
    client_as, cast, new_audit_events
):
    client = client_as("coordinator")

    response = client.post(
        "/agency/help-page/pl/", {"about": "Pomagamy ofiarom.", "reach": "  ul. Główna 1 "}
    )

    assert response.status_code == 302
    row = HelpPageText.objects.get(agency=cast.agency_a, language="pl")
    assert (row.about, row.reach) == ("Pomagamy ofiarom.", "ul. Główna 1")
    [event] = new_audit_events(action=AuditAction.AGENCY_SETTINGS)
    assert event.details == {"help_page": "pl", "fields": ["about", "reach"]}
    html = client.get("/help/riverside/pl/").content.decode()
    assert "Pomagamy ofiarom." in html
    assert "ul. Główna 1" in html


def test_an_advocate_may_not_edit_the_page_and_another_agency_is_untouched(client_as, cast):
    response = client_as("advocate").post("/agency/help-page/en/", {"about": "x", "reach": ""})

    assert response.status_code == 403
    assert not HelpPageText.objects.exists()
    with pytest.raises(PermissionDenied):
        help_text_save(actor=cast.actor("advocate"), language="en", about="x", reach="")


def test_the_settings_page_lists_languages_and_saves_services_and_the_quick_exit(client_as, cast):
    client = client_as("coordinator")
    page = client.get("/agency/help-page/")
    assert page.status_code == 200
    assert "http://testserver/help/riverside/" in page.content.decode()

    response = client.post(
        "/agency/help-page/",
        {"services": ["court", "crisis"], "quick_exit_url": "https://weather.example/today"},
    )

    assert response.status_code == 302
    assert HelpPageSettings.objects.get(agency=cast.agency_a).services == ["crisis", "court"]
    agency = Agency.objects.get(pk=cast.agency_a.pk)
    assert agency.quick_exit_url == "https://weather.example/today"
    html = client.get("/help/riverside/en/").content.decode()
    assert 'href="https://weather.example/today"' in html
    assert "Safety planning" not in html


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("weather", "full address"),
        ("javascript:alert(1)", "full address"),
        ("http://127.0.0.1:8000/help/riverside/", "other than Haven"),
    ],
)
def test_a_quick_exit_that_is_not_a_web_address_or_is_haven_itself_is_refused(
    cast, cora, settings, url, why
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    with pytest.raises(ValidationError) as refused:
        agency_quick_exit_set(actor=cora, url=url)
    assert why in str(refused.value)
    assert Agency.objects.get(pk=cast.agency_a.pk).quick_exit_url.startswith("https://www.google")


def test_a_refused_setting_shows_the_form_again_saying_what_to_fix(client_as, cast):
    response = client_as("coordinator").post(
        "/agency/help-page/", {"services": ["crisis"], "quick_exit_url": "weather"}
    )

    assert response.status_code == 400
    assert "Give a full address of a neutral site" in response.content.decode()


def test_unknown_services_and_overlong_text_are_refused(cora):
    with pytest.raises(ValidationError):
        help_services_save(actor=cora, services=["crisis", "teleport"])
    with pytest.raises(ValidationError):
        help_text_save(actor=cora, language="en", about="x" * 4001, reach="")
    with pytest.raises(ValidationError):
        help_text_save(actor=cora, language="fr", about="x", reach="")


def test_the_partner_form_sets_the_list_on_public_page_flag(client_as, cast):
    client = client_as("coordinator")

    response = client.post(
        "/partners/organizations/new/",
        {"name": "Safe Harbor", "is_active": "on", "list_on_public_page": "on"},
    )

    assert response.status_code == 302, response.content.decode()[:500]
    org = Organization.objects.get(agency=cast.agency_a, name="Safe Harbor")
    assert org.list_on_public_page
    assert "Safe Harbor" in client.get("/help/riverside/en/").content.decode()
