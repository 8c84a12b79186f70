#!/usr/bin/env python
"""Screenshots for docs/victims.md, at 320 and 1280 px, Arabic too: the public help pages and
the victim's status page (the code entry and the page itself), the partner's answer page.

    .venv/bin/python scripts/screenshots.py            # docs/img/help-*, status-*, partner-*
    .venv/bin/python scripts/screenshots.py /tmp/shots # somewhere else

It runs the browser tests that take them (tests/browser/test_public_help.py,
test_screenshots_for_the_docs: the sample help page of haven/public/testing.py;
tests/browser/test_portal.py, test_status_page_screenshots_for_the_docs: the cast's case with
every section of its status page released; tests/browser/test_touchpoints.py, the partner's
answer page in Spanish and Arabic on its way through the answers) against a test database, so
it needs Chromium like the other browser tests.
"""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img"
    os.environ["HAVEN_SCREENSHOTS"] = str(folder.resolve())
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    tests = [
        "tests/browser/test_public_help.py::test_screenshots_for_the_docs",
        "tests/browser/test_portal.py::test_status_page_screenshots_for_the_docs",
        "tests/browser/test_touchpoints.py::test_a_partner_answers_a_referral_in_each_language",
    ]
    code = pytest.main([*tests, "-q", "-p", "no:randomly", "-p", "no:xdist"])
    if code == 0:
        print(f"screenshots in {folder}")
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
