import email
import socket

import pytest
from django.conf import settings
from django.db.models import Max
from django_scopes import scopes_disabled

# The test OpenID provider for single sign-on (the `idp` fixture and marker).
pytest_plugins = ["tests.idp.plugin"]


def pytest_configure(config):
    assert settings.TESTING, "run the tests with DJANGO_SETTINGS_MODULE=haven.settings_test"


@pytest.fixture(autouse=True)
def _unscoped_test_code():
    """Test code itself sets up several agencies, so it runs unscoped; requests made through
    the test client are still scoped by ActorMiddleware, which is what the tests check."""
    with scopes_disabled():
        yield


@pytest.fixture
def cast(db):
    from haven.cases.testing import build_cast

    return build_cast()


@pytest.fixture
def client_as(client, cast):
    """client_as("advocate") signs the test client in as that member of the cast."""

    def sign_in(role: str):
        membership = getattr(cast, role)
        client.force_login(membership.user)
        return client

    return sign_in


# The cast's members as acting Actors (haven/cases/testing.py has the cast).


@pytest.fixture
def alice(cast):
    return cast.actor("advocate")


@pytest.fixture
def bob(cast):
    return cast.actor("advocate2")


@pytest.fixture
def sam(cast):
    return cast.actor("supervisor")


@pytest.fixture
def cora(cast):
    return cast.actor("coordinator")


@pytest.fixture
def charlie(cast):
    return cast.actor("other_advocate")


@pytest.fixture
def new_audit_events(cast):
    """new_audit_events(**filters): the audit events written since the cast was built, oldest
    first, so a test sees only what the code under test wrote."""
    from haven.audit.models import AuditEvent

    start = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0

    def events(**filters):
        return list(AuditEvent.objects.filter(id__gt=start, **filters).order_by("id"))

    return events


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port; Django sends to it."""
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(
                (envelope.rcpt_tos, email.message_from_bytes(envelope.original_content))
            )
            return "250 Message accepted for delivery"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    yield inbox
    controller.stop()
