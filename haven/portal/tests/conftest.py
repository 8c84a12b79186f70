"""The status page's tests: the clock frozen on the cast's Wednesday morning, the agency's quiet
hours off (the tests that need them set their own), Alice's victim Dana with a phone safe to
text, and shortcuts to offer her the page and read the link and codes her messages carry."""

import re
from datetime import time

import pytest

from haven.notices.models import Message
from haven.notices.services import notice_settings_update
from haven.people.models import ContactKind
from haven.people.services import contact_point_add
from haven.portal.services import page_offer


@pytest.fixture(autouse=True)
def _frozen(clock):
    return clock


@pytest.fixture(autouse=True)
def no_quiet_hours(cast, cora):
    notice_settings_update(actor=cora, quiet_start=time(0, 0), quiet_end=time(0, 0))


@pytest.fixture
def victim(cast):
    return cast.case_a.primary_victim


@pytest.fixture
def safe_phone(victim, alice):
    return contact_point_add(
        actor=alice,
        person=victim,
        kind=ContactKind.PHONE,
        value="(312) 555-0199",
        label="mobile",
        ok_text=True,
    )


@pytest.fixture
def offer(cast, alice, victim, safe_phone):
    def run(**kw):
        return page_offer(actor=alice, case=cast.case_a, person=victim, **kw)

    return run


def link_token(page) -> str:
    body = Message.objects.filter(template="portal_link", case=page.case).first().body
    return re.search(r"/my/([\w-]+)/", body).group(1)


def last_code(page) -> str:
    body = Message.objects.filter(template="portal_code", case=page.case).first().body
    return re.search(r"\b(\d{6})\b", body).group(1)
