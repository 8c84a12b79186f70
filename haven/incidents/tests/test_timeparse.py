"""The import's quick reader of numeric date formats reads as strptime does (timeparse.py)."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from haven.incidents.timeparse import parser

CHICAGO = ZoneInfo("America/Chicago")
FORMATS = [
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%d.%m.%Y",
    "%Y%m%d %H%M",
    "%m/%d/%Y %I:%M %p",
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_reads_what_strptime_reads_in_the_zone_given(fmt):
    rng = random.Random(fmt)
    for _ in range(500):
        when = datetime(2000, 1, 1) + (datetime(2030, 1, 1) - datetime(2000, 1, 1)) * rng.random()
        text = when.strftime(fmt)
        expected = datetime.strptime(text, fmt)
        assert parser(fmt)(text) == expected
        aware = parser(fmt)(text, CHICAGO)
        assert aware.tzinfo is CHICAGO
        assert aware.replace(tzinfo=None) == expected


@pytest.mark.parametrize(
    "fmt, text",
    [
        ("%m/%d/%Y %I:%M:%S %p", "13/14/2025 11:52:00 PM"),  # no 13th month
        ("%m/%d/%Y %I:%M:%S %p", "03/14/2025 13:52:00 PM"),  # no 13 o'clock on a 12-hour clock
        ("%m/%d/%Y %I:%M:%S %p", "03/14/2025 00:52:00 AM"),
        ("%m/%d/%Y %H:%M", "02/30/2025 10:00"),
        ("%m/%d/%Y %H:%M", "2025-02-03 10:00"),
    ],
)
def test_it_refuses_what_strptime_refuses(fmt, text):
    with pytest.raises(ValueError):
        datetime.strptime(text, fmt)
    with pytest.raises(ValueError):
        parser(fmt)(text)


def test_a_format_it_cannot_read_quickly_goes_to_strptime_and_keeps_its_own_zone():
    fmt = "%Y-%m-%dT%H:%M:%S%z"
    parsed = parser(fmt)("2025-03-14T23:52:00-0500", CHICAGO)
    assert parsed.utcoffset().total_seconds() == -5 * 3600
    assert parsed.tzinfo is not CHICAGO
    assert parser("%b %d %Y")("Mar 14 2025", CHICAGO) == datetime(2025, 3, 14, tzinfo=CHICAGO)
