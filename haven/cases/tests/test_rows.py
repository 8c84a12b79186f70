"""A table of cases' rows (cases.rows) say what the template used to: the same dates as
Django's `date` filter, in each language and time zone."""

from datetime import UTC, datetime

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from haven.cases.rows import _Words

MOMENTS = [
    datetime(2026, 1, 4, 0, 5, tzinfo=UTC),  # midnight in UTC, the evening before in Chicago
    datetime(2026, 6, 15, 12, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
    datetime(2026, 3, 9, 7, 30, tzinfo=UTC),
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("zone", ["UTC", "America/Chicago"])
def test_the_dates_are_the_date_filters(language, zone):
    with translation.override(language), timezone.override(zone):
        words = _Words()
        for moment in MOMENTS:
            local = timezone.localtime(moment)
            assert words.date(moment) == date_filter(local, "M j, g:i A")
            assert words.datetime(moment) == date_filter(local, "D M j, g:i A")


def test_the_column_names_a_phone_shows_are_in_the_members_language():
    from haven.cases.row_html import rows_html
    from haven.cases.rows import CaseRow

    row = CaseRow(
        url="/cases/1/", number="V-1", high=False, victim="<b>A</b>", language="", types="",
        status="New", status_class="", received="", clock="", clock_class="", assignee=None,
        next=None,
    )  # fmt: skip
    with translation.override("es"):
        html = rows_html([row], assignee=True, next_action=True)
    assert 'data-label="Caso"' in html and 'data-label="Case"' not in html
    assert "&lt;b&gt;A&lt;/b&gt;" in html  # every value escaped
