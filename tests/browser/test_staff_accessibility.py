"""Every staff page of every role in Chromium (issue 14, item 8): axe-core finds nothing at
1280 and at 320 px, nothing scrolls sideways at 320, and the header's menu items each stay on
one line at 1280.

Each role signs in through the real form, follows every link of its own navigation (the
To do menu's too) and then the records its work reaches: a case, the victim's page, a
lethality screen, a partner referral, who has opened the case; the auditor's log and a
person's access report. docs/accessibility.md has the figures and how long the sweep takes.
"""

from urllib.parse import urlsplit

import pytest

from haven.agencies.roles import Role
from haven.cases.testing import make_member
from haven.lethality.testing import make_screen
from haven.partners.models import Organization, Service
from haven.referrals.models import Referral, ReferralStatus
from tests.browser.axe import assert_accessible, assert_fits
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

ROLES = ["advocate", "supervisor", "coordinator", "officer", "analyst", "auditor", "volunteer"]
# Links in the header that are not pages to check: signing out is a form, not a link.
NOT_PAGES = ("/accounts/logout/",)

NAV_LINKS = """() => [...document.querySelectorAll('nav.usa-nav a[href]')]
  .map((a) => a.getAttribute('href')).filter((h) => h.startsWith('/'))"""

# What sticks out past the right edge, outside any box that scrolls on its own (the innermost
# elements, and the table they are in), to say what to fix.
TOO_WIDE = """(width) => {
  const scrolls = (el) => el.closest('.usa-table-container--scrollable, pre');
  const wide = (el) => el.getBoundingClientRect().right > width + 1 && !scrolls(el);
  return [...document.querySelectorAll('body *')]
    .filter((el) => wide(el) && ![...el.children].some(wide))
    .slice(0, 5)
    .map((el) => {
      const table = el.closest('table');
      return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (table ? ' in table#' + table.id : '')
        + ' (' + Math.round(el.getBoundingClientRect().right) + ' px)';
    });
}"""

# The header's top-level items whose text runs over more than one line (at 1280 px).
WRAPPED_ITEMS = """() => [...document.querySelectorAll(
    '.usa-nav__primary > .usa-nav__primary-item > :is(a, button)')]
  .filter((el) => {
    const style = getComputedStyle(el.querySelector('span') || el);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.3;
    const height = (el.querySelector('span') || el).getBoundingClientRect().height;
    return height > line * 1.5;
  })
  .map((el) => el.textContent.trim())"""


@pytest.fixture
def records(live_cast):
    """What the roles' work reaches in agency A: the cast's case (Alice's), a lethality screen
    and a partner referral on it; a volunteer with a case of their own."""
    cast = live_cast
    case = cast.case_a
    screen = make_screen(case)
    org = Organization.objects.create(agency=cast.agency_a, name="Safe Harbor Shelter")
    service = Service.objects.create(agency=cast.agency_a, organization=org, name="Beds")
    referral = Referral.objects.create(
        agency=cast.agency_a,
        case=case,
        person=case.primary_victim,
        service=service,
        organization=org,
        need="shelter",
        categories=["identity"],
        status=ReferralStatus.PROPOSED,
    )
    volunteer = make_member(cast.agency_a, "val", Role.VOLUNTEER, full_name="Val Volunteer")
    person = case.primary_victim_id
    casework = [
        f"/cases/{case.pk}/",
        f"/people/{person}/",
        f"/lethality/{screen.pk}/",
        f"/referrals/{referral.pk}/",
    ]
    return {
        "users": {
            **{role: getattr(cast, role).user for role in ROLES[:-1]},
            "volunteer": volunteer.user,
        },
        "advocate": [*casework, f"/cases/{case.pk}/opened-by/"],
        "supervisor": [*casework, f"/cases/{case.pk}/opened-by/", f"/people/{person}/opened-by/"],
        "coordinator": casework,
        "volunteer": [],
        "officer": [],
        "analyst": [],
        "auditor": ["/audit/people/", f"/audit/people/{person}/report/"],
    }


def _check(page, url: str, problems: list[str]) -> None:
    """Open the page at 1280 px, then narrow the same page to 320 px (a reflow, as when a
    window is narrowed: no second load)."""
    page.set_viewport_size({"width": 1280, "height": 800})
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    for width in (1280, 320):
        if width != 1280:
            page.set_viewport_size({"width": width, "height": 640})
        try:
            assert_accessible(page)
        except AssertionError as exc:
            problems.append(f"at {width} px: {exc}")
        if width == 1280:
            wrapped = page.evaluate(WRAPPED_ITEMS)
            if wrapped:
                problems.append(f"{url} at 1280 px: header items wrap: {wrapped}")
        else:
            try:
                assert_fits(page, width)
            except AssertionError as exc:
                problems.append(f"{exc}: {page.evaluate(TOO_WIDE, width)}")


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_page_of_the_role_passes_axe_fits_320_and_keeps_the_header_on_one_line(
    page, live_server, records, role
):
    user = records["users"][role]
    # Dozens of pages in one test: on a loaded machine one "load" can outlast the usual 10 s.
    page.set_default_timeout(60_000)
    sign_in(page, live_server, user.username)
    base = live_server.url
    start = urlsplit(page.url).path
    links = page.evaluate(NAV_LINKS)
    urls = list(dict.fromkeys([start, *links, *records[role]]))
    urls = [u for u in urls if u not in NOT_PAGES]
    assert len(urls) >= 3, urls
    problems: list[str] = []
    for url in urls:
        _check(page, base + url, problems)
    assert not problems, f"as {role}, {len(urls)} pages:\n" + "\n".join(problems)
