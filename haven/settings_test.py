"""Settings for the test suite: the real settings, with tasks run in memory and fast hashing.

pytest-django imports the settings before any conftest runs, so the switch lives here.
"""

import os

os.environ["HAVEN_TESTING"] = "1"

from haven.settings import *  # noqa: E402, F403
