"""Two coordinators change the single sign-on settings at once: the second save is refused,
the first stays, and the conflict page shows neither secret."""

import time

from django.urls import reverse

from haven.core.actor import Actor
from haven.core.sudo import _KEY as SUDO_KEY
from haven.core.tests.edit_race import assert_conflict_page, race, second_coordinator, signed_in
from haven.sso.models import IdentityProvider
from haven.sso.services import SsoSettings, sso_settings_save


def _in_sudo(member):
    client = signed_in(member)
    session = client.session
    session[SUDO_KEY] = time.time() + 600
    session.save()
    return client


def test_the_second_save_of_the_sso_settings_gets_the_conflict_page(cast):
    sso_settings_save(
        actor=Actor.system(cast.agency_a, "test"),
        settings=SsoSettings(
            issuer="https://login.example.org", client_id="haven", client_secret="stored-secret"
        ),
    )

    one, two = race(
        reverse("sso:settings"),
        _in_sudo(cast.coordinator),
        _in_sudo(second_coordinator(cast)),
        {"client_id": "haven-riverside"},
        {"email_domains": "riverside.example", "client_secret": "typed-secret"},
    )

    assert one.status_code == 302
    page = assert_conflict_page(two, "riverside.example", "haven-riverside", "Differs")
    assert "stored-secret" not in page and "Client secret" not in page
    provider = IdentityProvider.objects.get(agency=cast.agency_a)
    assert (provider.client_id, provider.email_domains, provider.version) == (
        "haven-riverside",
        "",
        3,
    )
    assert provider.client_secret == "stored-secret"
