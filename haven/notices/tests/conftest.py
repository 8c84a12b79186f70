"""Shortcuts for the notices tests: Alice's victim with safe email and text contacts, the
agency's quiet hours switched off (tests run at any hour; the quiet-hours tests set their own),
and `queue(...)` for contract 2's message_queue."""

from datetime import time

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
