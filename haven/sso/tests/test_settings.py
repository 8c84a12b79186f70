"""The coordinator's single sign-on page and the operator's command: validated against the
provider's real discovery document (the test IdP), the secret encrypted, every change audited."""

import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from haven.audit.models import AuditAction
from haven.core.sudo import _KEY as SUDO_KEY
from haven.sso.models import IdentityProvider

pytestmark = pytest.mark.django_db


def _as_coordinator(client_as):
    client = client_as("coordinator")
    session = client.session
    session[SUDO_KEY] = time.time() + 600
    session.save()
    return client


def _form(idp, **extra):
    return {
        "issuer": idp.issuer,
        "client_id": "haven-riverside",
        "client_secret": "the-secret",
        "email_domains": "riverside.example",
        "enabled": "on",
        "allow_local_passwords": "on",
    } | extra


@pytest.mark.idp
def test_a_coordinator_sets_up_the_agencys_provider(client_as, idp, cast, new_audit_events):
    client = _as_coordinator(client_as)
    page = client.get("/sso/settings/").content.decode()
    assert "http://testserver/sso/riverside/callback/" in page

    response = client.post("/sso/settings/", _form(idp))
    assert response.status_code == 302
    provider = IdentityProvider.objects.get(agency=cast.agency_a)
    assert provider.issuer == idp.issuer and provider.enabled
    assert provider.client_secret == "the-secret"
    with connection.cursor() as cursor:
        cursor.execute("SELECT client_secret FROM sso_identityprovider")
        stored = cursor.fetchone()[0]
    assert "the-secret" not in stored
    event = new_audit_events(action=AuditAction.SSO_SETTINGS)[0]
    assert event.actor_id == cast.coordinator.user_id
    assert "client_secret" in event.details["changed"]
    assert "the-secret" not in str(event.details)

    page = client.get("/sso/settings/").content.decode()
    assert "the-secret" not in page
    # A blank secret keeps the stored one.
    client.post("/sso/settings/", _form(idp, client_secret="", allow_local_passwords=""))
    provider.refresh_from_db()
    assert provider.client_secret == "the-secret"
    assert provider.allow_local_passwords is False


@pytest.mark.idp
def test_an_issuer_whose_discovery_names_another_is_refused(client_as, idp, cast):
    client = _as_coordinator(client_as)
    wrong = idp.issuer.replace("127.0.0.1", "localhost")
    response = client.post("/sso/settings/", _form(idp, issuer=wrong))
    assert response.status_code == 400
    assert "names the issuer" in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_an_unreachable_issuer_is_refused(client_as, cast):
    client = _as_coordinator(client_as)
    response = client.post(
        "/sso/settings/",
        {"issuer": "http://127.0.0.1:9/o", "client_id": "x", "client_secret": "y", "enabled": "on"},
    )
    assert response.status_code == 400
    assert "could not read" in response.content.decode()
    assert not IdentityProvider.objects.exists()


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"issuer": "http://login.example.org/"}, "must be an https://"),
        ({"issuer": "not a url"}, "Enter the issuer as an address"),
        ({"client_id": ""}, "This field is required"),
        ({"client_secret": ""}, "Enter the client secret"),
        ({"email_domains": "riverside, @@"}, "Not an email domain"),
        ({"enabled": "", "allow_local_passwords": ""}, "only while single sign-on is on"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(client_as, cast, data, field_message):
    client = _as_coordinator(client_as)
    form = {
        "issuer": "https://login.example.org/riverside",
        "client_id": "haven",
        "client_secret": "s",
        "allow_local_passwords": "on",
    } | data
    response = client.post("/sso/settings/", form)
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_only_coordinators_reach_the_page(client_as, cast):
    assert client_as("supervisor").get("/sso/settings/").status_code == 403
    assert client_as("advocate").get("/sso/settings/").status_code == 403


def test_the_page_asks_for_the_password_again(client_as, cast):
    response = client_as("coordinator").get("/sso/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reconfirm/")


@pytest.mark.idp
def test_the_operator_sets_it_up_from_the_command_line(idp, cast, tmp_path, new_audit_events):
    secret = tmp_path / "secret"
    secret.write_text("cli-secret\n")
    call_command(
        "sso_configure",
        "--agency=riverside",
        f"--issuer={idp.issuer}",
        "--client-id=haven",
        f"--client-secret-file={secret}",
        "--enabled=on",
        "--local-passwords=off",
    )
    provider = IdentityProvider.objects.get(agency=cast.agency_a)
    assert provider.client_secret == "cli-secret"
    assert provider.enabled and not provider.allow_local_passwords
    event = new_audit_events(action=AuditAction.SSO_SETTINGS)[0]
    assert event.actor_label == "manage.py sso_configure"
    # Options left out keep their value.
    call_command("sso_configure", "--agency=riverside", "--local-passwords=on")
    provider.refresh_from_db()
    assert provider.client_secret == "cli-secret" and provider.allow_local_passwords


def test_the_command_refuses_bad_input_clearly(cast):
    with pytest.raises(CommandError, match="No agency with the slug"):
        call_command("sso_configure", "--agency=nowhere")
    with pytest.raises(CommandError, match="client_secret: Enter the client secret"):
        call_command(
            "sso_configure",
            "--agency=riverside",
            "--issuer=https://login.example.org/x",
            "--client-id=haven",
        )
