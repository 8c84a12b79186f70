"""axe-core (npm, pinned in package.json) in the browser tests: `assert_accessible(page)` runs
it on the page as it is now and fails with each violation, its rule, its help and the elements.

    from tests.browser.axe import assert_accessible, assert_fits
    page.goto(url)
    assert_accessible(page)          # 0 violations, every rule axe runs by default
    assert_fits(page, 320)           # no sideways scroll at 320 px

axe is evaluated into the page through the DevTools protocol, which a page's
Content-Security-Policy does not block, so pages keep their real CSP under test.
"""

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

RUN = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + ": " + (n.failureSummary || "")),
  }));
}"""


@cache
def _source() -> str:
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run `make` (npm ci installs axe-core).")
    return AXE_JS.read_text()


def axe_violations(page, *, disable: tuple[str, ...] = ()) -> list[dict]:
    """axe's violations on the page now (every rule it runs by default, less `disable`)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {_source()}\n }}")
    options = {"resultTypes": ["violations"]}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    return page.evaluate(RUN, options)


def assert_accessible(page, *, disable: tuple[str, ...] = ()) -> None:
    violations = axe_violations(page, disable=disable)
    lines = [
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    ]
    assert not violations, f"axe found {len(violations)} on {page.url}:\n" + "\n".join(lines)


def assert_fits(page, width: int) -> None:
    """The page does not scroll sideways at this viewport width."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways: {scroll} px wide at {width}"
