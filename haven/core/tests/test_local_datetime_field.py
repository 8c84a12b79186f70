"""Times typed in the agency's zone on the nights the clocks change (America/Chicago)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.utils import timezone

from haven.core.forms import LocalDateTimeField

CHICAGO = ZoneInfo("America/Chicago")


class WhenForm(forms.Form):
    when = LocalDateTimeField()


def read(value: str):
    with timezone.override(CHICAGO):
        form = WhenForm({"when": value})
        form.is_valid()
        return form


def test_an_ordinary_time_is_read_in_the_agencys_zone():
    assert read("2026-12-04T15:00").cleaned_data["when"] == datetime(2026, 12, 4, 21, 0, tzinfo=UTC)


def test_the_hour_that_repeats_when_clocks_fall_back_is_its_first_occurrence():
    # 1:30 AM on 1 November 2026 happens at 06:30 UTC (CDT) and again at 07:30 UTC (CST).
    assert read("2026-11-01T01:30").cleaned_data["when"] == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_a_time_the_clock_skipped_is_refused_naming_the_zone():
    # 2:30 AM on 14 March 2027 never happens: the clock goes from 1:59 CST to 3:00 CDT.
    form = read("2027-03-14T02:30")
    assert not form.is_valid()
    [message] = form.errors["when"]
    assert "America/Chicago" in message and "may not exist" in message


@pytest.mark.parametrize("value", ["2026-02-30T10:00", "tomorrow", "2026-11-01T25:00"])
def test_a_time_that_is_not_one_is_still_refused(value):
    form = read(value)
    assert form.errors["when"] == ["Enter a valid date/time."]
