"""Documents in the browser: a specialist attaches a file from the case page's documents panel,
sees it listed and downloads the same bytes; a forbidden type and an oversize file get their
message and store nothing; a volunteer sees only how many privileged documents there are. At
1280 px and 320 px."""

from pathlib import Path

import pytest

from haven.cases.testing import make_case, make_member
from haven.core.roles import Role
from haven.documents.models import Document
from haven.documents.services import document_upload
from haven.documents.tests.helpers import PDF_BYTES, pdf
from tests.browser.conftest import TIMEOUT_MS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENT_MAX_BYTES = 2048  # an "oversize" file without sending megabytes
    return settings.MEDIA_ROOT


def fits(page, width):
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"{page.url} scrolls sideways at {width}px ({scrolled}px)"


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def documents_panel(page, *, back_from_action=False):
    """The case page loads the panel when its heading is opened (cases/panels.py); back from an
    action in the panel, the page shows it open already (cases.panels.panel_url)."""
    if not back_from_action:
        page.locator("summary", has_text="Documents").click()
    panel = page.locator("#documents")
    panel.wait_for()
    return panel


def attach(page, file: dict, kind: str = "Order of protection"):
    page.get_by_label("File", exact=True).set_input_files(file)
    page.get_by_label("What it is").select_option(label=kind)
    page.get_by_role("button", name="Attach", exact=True).click()


def test_a_specialist_attaches_sees_and_downloads_a_document(
    window, width, live_server, live_cast, media
):
    case_url = f"{live_server.url}/cases/{live_cast.case_a.pk}/"
    alice = sign_in(window(), live_server, "alice")
    alice.goto(case_url)
    panel = documents_panel(alice)
    panel.get_by_role("link", name="Attach a document").click()
    fits(alice, width)

    # A program renamed .pdf: refused by its content, the form comes back with the reason.
    attach(alice, {"name": "order.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00"})
    alice.get_by_text("is a Windows program").wait_for()
    fits(alice, width)
    # Over the limit: the size and the limit, and what to do.
    attach(
        alice,
        {"name": "big.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES + b" " * 4096},
    )
    alice.get_by_text("Scan it at a lower resolution or split it").wait_for()
    assert not Document.objects.exists() and not stored_files(media)

    attach(alice, {"name": "Dana order.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES})
    alice.wait_for_url(f"{case_url}?panel=documents#documents")
    panel = documents_panel(alice, back_from_action=True)
    panel.get_by_role("link", name="Dana order.pdf", exact=True).wait_for()
    assert panel.get_by_text("Order of protection").first.is_visible()
    fits(alice, width)

    with alice.expect_download() as download:
        panel.get_by_role("link", name="Download Dana order.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF_BYTES
    assert download.value.suggested_filename.endswith(".pdf")
    document = Document.objects.get()
    assert document.name == "Dana order.pdf" and document.is_privileged
    [stored] = stored_files(media)
    assert PDF_BYTES not in stored.read_bytes()  # encrypted at rest


def test_a_volunteer_sees_only_how_many_privileged_documents_there_are(
    window, width, live_server, live_cast, media
):
    sam = live_cast.actor("supervisor")
    make_member(live_cast.agency_a, "val", Role.VOLUNTEER, full_name="Val Vance")
    case = make_case(sam, first_name="Quinn", last_name="Queue", report_number="JA100009")
    document_upload(
        actor=sam,
        file=pdf("Quinn statement.pdf"),
        name="Quinn statement.pdf",
        case=case,
        kind="letter",
    )

    val = sign_in(window(), live_server, "val")
    val.goto(f"{live_server.url}/cases/{case.pk}/")
    panel = documents_panel(val)
    panel.get_by_text("1 privileged document is kept for victim services staff.").wait_for()
    assert "Quinn statement" not in panel.inner_text()
    assert panel.get_by_role("link", name="Download").count() == 0
    fits(val, width)
