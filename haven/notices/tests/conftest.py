"""Shortcuts for the notices tests: Alice's victim with safe email and text contacts, the
agency's quiet hours switched off (tests run at any hour; the quiet-hours tests set their own),
and `queue(...)` for contract 2's message_queue."""

import json
import threading
from datetime import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest

from haven.notices.services import message_queue, notice_settings_update
from haven.people.models import ContactKind
from haven.people.services import contact_point_add


@pytest.fixture(autouse=True)
def no_quiet_hours(cast, cora):
    notice_settings_update(actor=cora, quiet_start=time(0, 0), quiet_end=time(0, 0))


@pytest.fixture
def victim(cast):
    return cast.case_a.primary_victim


@pytest.fixture
def with_email(victim, alice):
    return contact_point_add(
        actor=alice,
        person=victim,
        kind=ContactKind.EMAIL,
        value="dana.reyes@example.org",
        ok_mail=True,
    )


@pytest.fixture
def with_text(victim, alice):
    return contact_point_add(
        actor=alice,
        person=victim,
        kind=ContactKind.PHONE,
        value="(312) 555-0199",
        label="mobile",
        ok_text=True,
    )


@pytest.fixture
def queue(cast, alice):
    def run(*, actor=None, case=None, person=None, template="generic", facts=None, key="k1", **kw):
        case = case or cast.case_a
        return message_queue(
            actor=actor or alice,
            case=case,
            person=person or case.primary_victim,
            template=template,
            facts={"body": "Please call us back."} if facts is None else facts,
            dedupe_key=key,
            **kw,
        )

    return run


class FakeTwilio(BaseHTTPRequestHandler):
    """POST /2010-04-01/Accounts/<sid>/Messages.json: 201 with a sid, 400 for +15005550001
    (Twilio's magic "invalid number"), 503 for +15005550009."""

    received: list = []

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        FakeTwilio.received.append(
            {"path": self.path, "auth": self.headers["Authorization"], **form}
        )
        if form["To"] == "+15005550001":
            status, body = 400, {"code": 21211, "message": "The 'To' number is not valid."}
        elif form["To"] == "+15005550009":
            status, body = 503, {"message": "Service unavailable"}
        else:
            status, body = 201, {"sid": f"SM{len(FakeTwilio.received):032d}", "status": "queued"}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio(settings):
    FakeTwilio.received = []
    server = HTTPServer(("127.0.0.1", 0), FakeTwilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HAVEN_SMS_PROVIDER = "twilio"
    settings.HAVEN_TWILIO_ACCOUNT_SID = "AC123"
    settings.HAVEN_TWILIO_AUTH_TOKEN = "secret-token"
    settings.HAVEN_TWILIO_API_BASE = f"http://127.0.0.1:{server.server_port}"
    settings.HAVEN_SMS_FROM = "+13125550000"
    yield FakeTwilio.received
    server.shutdown()
