#!/usr/bin/env python
"""Screenshots of the public help pages for docs/victims.md, at 320 and 1280 px, Arabic too.

    .venv/bin/python scripts/screenshots.py            # writes docs/img/help-*.png
    .venv/bin/python scripts/screenshots.py /tmp/shots # somewhere else

It runs the browser test that takes them (tests/browser/test_public_help.py,
test_screenshots_for_the_docs) against a test database with the sample help page of
haven/public/testing.py, so it needs Chromium like the other browser tests.
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
    test = "tests/browser/test_public_help.py::test_screenshots_for_the_docs"
    code = pytest.main([test, "-q", "-p", "no:randomly", "-p", "no:xdist"])
    if code == 0:
        print(f"screenshots in {folder}")
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
