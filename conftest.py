import email
import os
import socket
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.db.models import Max
from django.utils import translation
from django_scopes import scopes_disabled

# The test OpenID provider for single sign-on (the `idp` fixture and marker).
pytest_plugins = ["tests.idp.plugin"]


def pytest_configure(config):
    assert settings.TESTING, "run the tests with DJANGO_SETTINGS_MODULE=haven.settings_test"
    _travel_to_test_now()
    if not hasattr(config, "workerinput"):  # once, before any xdist worker starts
        _compile_catalogues()


def _compile_catalogues():
    """The staff interface's .mo files from their .po (git-ignored; docs/translation.md)."""
    from django.core.management import CommandError, call_command

    try:
        call_command(
            "compilemessages", ignore_patterns=[".venv", "node_modules", "var"], verbosity=0
        )
    except CommandError as exc:
        raise pytest.UsageError(
            f"{exc} Install gettext: scripts/ensure-system-packages (docs/translation.md)."
        ) from None


def pytest_collection_modifyitems(config, items):
    """Under HAVEN_TEST_NOW, skip the tests whose other process cannot share the moved clock."""
    if not os.environ.get("HAVEN_TEST_NOW", "").strip():
        return
    skip = pytest.mark.skip(reason="its other process runs on the real clock (HAVEN_TEST_NOW)")
    for item in items:
        if item.get_closest_marker("real_clock"):
            item.add_marker(skip)


def _travel_to_test_now():
    """HAVEN_TEST_NOW=2026-12-31T23:30:00-06:00 runs the whole suite with the clock started at
    that instant (and ticking), to find tests that pass only on some days: a Friday, a
    daylight-saving change, the last day of a year (docs/testing.md). Tests that freeze the
    clock themselves still do."""
    raw = os.environ.get("HAVEN_TEST_NOW", "").strip()
    if not raw:
        return
    try:
        start = datetime.fromisoformat(raw)
    except ValueError:
        raise pytest.UsageError(
            f"HAVEN_TEST_NOW={raw!r}: use an ISO 8601 time with its offset, "
            "e.g. 2026-12-31T23:30:00-06:00."
        ) from None
    if start.tzinfo is None:
        raise pytest.UsageError(f"HAVEN_TEST_NOW={raw!r}: give the offset, e.g. -06:00.")
    time_machine.travel(start, tick=True).start()


@pytest.fixture(autouse=True)
def _automatic_messages_go(request, monkeypatch):
    """Automatic messages are held by default for domestic violence and other sensitive cases
    (haven/notices/automatic.py), and the cast's case is domestic violence. Tests written
    about what a message does once it goes expect it to go: here every type defaults to
    "send". Tests of the holds themselves mark `@pytest.mark.automatic_defaults`."""
    if request.node.get_closest_marker("automatic_defaults"):
        return
    from haven.notices import automatic

    monkeypatch.setattr(automatic, "default_mode", lambda code: "send")


# The instant tests that reason about days or hours start at: a Wednesday morning in the cast's
# zone, an ordinary week (no holiday, no clock change). docs/testing.md.
A_WEDNESDAY = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("America/Chicago"))


@pytest.fixture
def clock():
    """The clock started at A_WEDNESDAY and ticking; `clock.move_to(...)` goes elsewhere.
    An app whose tests all reason about days asks for it in an autouse fixture, so the cast
    and every other fixture are built on the same day as the test runs."""
    with time_machine.travel(A_WEDNESDAY, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request as a member who chose Spanish leaves Spanish active in the thread (a server
    activates each request's language anew; a test process does not): start each test in the
    default language, as a new request would."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_case_page_from_another_test():
    """Rendered case pages are kept in the process's memory (haven/cases/page_cache.py); each
    test starts without those of the tests before it."""
    yield
    caches["case_pages"].clear()


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


# Two more people on Alice's case: her victim's sister (served) and a witness (not served).


@pytest.fixture
def sister(cast, alice):
    from haven.cases.models import Relation
    from haven.cases.services import case_add_person
    from haven.people.services import person_create

    person = person_create(actor=alice, first_name="Lee", last_name="Reyes")
    case_add_person(actor=alice, case=cast.case_a, person=person, relation=Relation.FAMILY)
    return person


@pytest.fixture
def witness(cast, alice):
    from haven.cases.models import Relation
    from haven.cases.services import case_add_person
    from haven.people.services import person_create

    person = person_create(actor=alice, first_name="Wade", last_name="Witt")
    case_add_person(
        actor=alice, case=cast.case_a, person=person, relation=Relation.WITNESS, is_served=False
    )
    return person


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


class _PickyInbox:
    """An aiosmtpd handler that accepts mail, except to addresses starting with "refused"."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def picky_smtp(settings):
    """A real SMTP server (aiosmtpd) that refuses recipients named "refused...": 550."""
    from aiosmtpd.controller import Controller

    inbox = _PickyInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """The mail server is down: nothing listens at its address."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()
    settings.EMAIL_TIMEOUT = 2


def pytest_report_header(config):
    if os.environ.get("HAVEN_TEST_NOW", "").strip():
        return f"clock started at HAVEN_TEST_NOW={os.environ['HAVEN_TEST_NOW']} (ticking)"
    return None
