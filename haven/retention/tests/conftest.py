from datetime import datetime
from zoneinfo import ZoneInfo

import pytest


@pytest.fixture(autouse=True)
def _early_2023(clock):
    """Retention reasons in years: the cast is built in early 2023, its case closed in March,
    and each test moves the clock years on (docs/testing.md)."""
    clock.move_to(datetime(2023, 3, 1, 10, 0, tzinfo=ZoneInfo("America/Chicago")))
    return clock
