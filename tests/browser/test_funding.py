"""Emergency financial assistance in the browser: a specialist requests it on the case page
(with a receipt), a supervisor approves and disburses it; at 1280 px and at 320 px."""

from datetime import date
from decimal import Decimal

import pytest

from haven.documents.storage import blob_read
from haven.funding.models import EmergencyFund, EmergencyRequest, RequestStatus
from haven.funding.services import fund_deposit, funding_source_save
from tests.browser.conftest import TIMEOUT_MS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(params=[1280, 320], ids=["desktop", "narrow"])
def width(request):
    return request.param


@pytest.fixture
def window(browser, width):
    """open_page(): a page of its own (own cookies) at the test's width."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": width, "height": 800})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def fund(live_cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cora = live_cast.actor("coordinator")
    source = funding_source_save(
        actor=cora,
        name="VOCA 2026",
        kind="voca",
        period_start=date(2025, 10, 1),
        period_end=date(2026, 9, 30),
        is_default=True,
    )
    return fund_deposit(
        actor=cora, source=source, amount=Decimal("300"), deposited_on=date(2026, 11, 2)
    ).fund


def fits(page, width):
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"{page.url} scrolls sideways at {width}px ({scrolled}px)"


def emergency_panel(page, *, back_from_action=False):
    """The case page loads the panel when its heading is opened (cases/panels.py); back from an
    action in the panel, the page shows it open already (cases.panels.panel_url)."""
    if not back_from_action:
        page.locator("summary", has_text="Emergency assistance").click()
    panel = page.locator("#emergency-assistance")
    panel.wait_for()
    return panel


def test_a_specialist_requests_and_a_supervisor_approves_and_disburses(
    window, width, live_server, live_cast, fund
):
    case_url = f"{live_server.url}/cases/{live_cast.case_a.pk}/"
    alice = sign_in(window(), live_server, "alice")
    alice.goto(case_url)
    panel = emergency_panel(alice)
    panel.get_by_role("link", name="Request emergency assistance").click()
    alice.get_by_label("From the fund of").select_option(label="VOCA 2026 (balance $300.00)")
    alice.get_by_label("What for").select_option("lock_change")
    alice.get_by_label("Amount ($)").fill("95")
    alice.get_by_label("Detail").fill("Locksmith, front door")
    alice.get_by_label("Receipt").set_input_files(
        {"name": "receipt.png", "mimeType": "image/png", "buffer": PNG}
    )
    fits(alice, width)
    alice.get_by_role("button", name="Request", exact=True).click()
    alice.get_by_text("Requested $95.00 for Lock change").wait_for()
    panel = emergency_panel(alice, back_from_action=True)
    assert panel.get_by_text("Lock change, $95.00").is_visible()
    assert panel.get_by_role("button", name="Approve").count() == 0  # not hers to approve
    fits(alice, width)

    sam = sign_in(window(), live_server, "sam")
    sam.goto(case_url)
    emergency_panel(sam).get_by_role("button", name="Approve").click()
    sam.get_by_text("Approved:").wait_for()
    fits(sam, width)
    emergency_panel(sam, back_from_action=True).get_by_role(
        "button", name="Disburse $95.00"
    ).click()
    sam.get_by_text("Disbursed $95.00 from VOCA 2026's fund.").wait_for()
    assert emergency_panel(sam, back_from_action=True).get_by_text("Disbursed").first.is_visible()
    fits(sam, width)

    found = EmergencyRequest.objects.get()
    assert found.status == RequestStatus.DISBURSED
    assert blob_read(found.receipt_document.blob) == PNG  # kept as an encrypted document
    assert found.requested_by == live_cast.advocate and found.decided_by == live_cast.supervisor
    assert EmergencyFund.objects.get(pk=fund.pk).balance == Decimal("205")
