"""Funding sources and time splits: what is saved, and what is refused with which words."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.funding.models import FundingSource, TimeSplit
from haven.funding.selectors import default_source, split_on, splits_by_member, staff_hours
from haven.funding.services import funding_source_save, time_split_set

pytestmark = pytest.mark.django_db


def test_a_coordinator_adds_sources_and_only_one_is_the_default(cast, cora, voca, stop):
    assert default_source(cast.agency_a) == voca
    funding_source_save(
        actor=cora,
        source=stop,
        name=stop.name,
        kind=stop.kind,
        period_start=stop.period_start,
        period_end=stop.period_end,
        is_default=True,
    )
    assert default_source(cast.agency_a).pk == stop.pk
    assert FundingSource.objects.filter(agency=cast.agency_a, is_default=True).count() == 1


def test_a_source_is_refused_with_a_duplicate_name_or_a_backwards_period(cora, voca):
    with pytest.raises(ValidationError) as refused:
        funding_source_save(
            actor=cora,
            name="voca 2026",
            kind="other",
            period_start=date(2026, 1, 1),
            period_end=date(2025, 1, 1),
        )
    errors = refused.value.message_dict
    assert "already a funding source named" in errors["name"][0]
    assert "ends before it starts" in errors["period_end"][0]


@pytest.mark.parametrize("role", ["advocate", "supervisor", "analyst"])
def test_only_a_coordinator_manages_sources(cast, role):
    with pytest.raises(PermissionDenied):
        funding_source_save(
            actor=cast.actor(role),
            name="Local",
            kind="local",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )


def test_a_split_that_adds_to_100_is_saved_and_replaces_that_periods_lines(cast, cora, voca, stop):
    day = date(2026, 10, 1)
    time_split_set(
        actor=cora, member=cast.advocate, effective_from=day, lines=[(voca, Decimal("100"))]
    )
    time_split_set(
        actor=cora,
        member=cast.advocate,
        effective_from=day,
        lines=[(voca, Decimal("60")), (stop, Decimal("40"))],
    )
    lines = TimeSplit.objects.filter(member=cast.advocate, effective_from=day)
    assert {(s.source_id, s.percent) for s in lines} == {(voca.pk, 60), (stop.pk, 40)}


@pytest.mark.parametrize(
    ("percents", "says"),
    [
        ((60, 30), "adds up to 90 %, not 100 %"),
        ((70, 40), "adds up to 110 %, not 100 %"),
        ((Decimal("33.33"), Decimal("66.66")), "adds up to 99.99 %"),
    ],
)
def test_a_split_that_does_not_add_to_100_is_refused_naming_the_period_and_the_sum(
    cast, cora, voca, stop, percents, says
):
    with pytest.raises(ValidationError) as refused:
        time_split_set(
            actor=cora,
            member=cast.advocate,
            effective_from=date(2026, 10, 1),
            lines=[(voca, Decimal(percents[0])), (stop, Decimal(percents[1]))],
        )
    text = refused.value.messages[0]
    assert "The split of Alice Avery from Oct 1, 2026" in text and says in text
    assert not TimeSplit.objects.filter(member=cast.advocate).exists()


def test_a_split_naming_a_source_twice_or_with_no_lines_is_refused(cast, cora, voca):
    with pytest.raises(ValidationError, match="names VOCA 2026 twice"):
        time_split_set(
            actor=cora,
            member=cast.advocate,
            effective_from=date(2026, 10, 1),
            lines=[(voca, Decimal("50")), (voca, Decimal("50"))],
        )
    with pytest.raises(ValidationError, match="has no lines"):
        time_split_set(actor=cora, member=cast.advocate, effective_from=date(2026, 10, 1), lines=[])


def test_a_split_for_another_agencys_member_is_refused(cast, cora, voca):
    with pytest.raises(PermissionDenied):
        time_split_set(
            actor=cora,
            member=cast.other_advocate,
            effective_from=date(2026, 10, 1),
            lines=[(voca, Decimal("100"))],
        )


def test_the_split_in_effect_is_the_latest_on_or_before_the_day(cast, cora, voca, stop):
    time_split_set(
        actor=cora,
        member=cast.advocate,
        effective_from=date(2026, 1, 1),
        lines=[(voca, Decimal("100"))],
    )
    time_split_set(
        actor=cora,
        member=cast.advocate,
        effective_from=date(2026, 3, 1),
        lines=[(voca, Decimal("25")), (stop, Decimal("75"))],
    )
    periods = splits_by_member(cast.agency_a)[cast.advocate.pk]
    assert split_on(periods, date(2025, 12, 31)) == {}
    assert split_on(periods, date(2026, 2, 28)) == {voca.pk: 100}
    assert split_on(periods, date(2026, 3, 1)) == {voca.pk: 25, stop.pk: 75}


def test_staff_hours_are_8_hours_a_weekday_times_the_percent_in_effect(cast, cora, voca, stop):
    # Mon 2 Feb to Fri 13 Feb 2026: ten weekdays. Alice: VOCA 100 % until Sun 8 Feb, then
    # 25 %; Bob: VOCA 50 % throughout. VOCA: Alice 5×8 + 5×2, Bob 10×4 = 90 hours.
    time_split_set(
        actor=cora,
        member=cast.advocate,
        effective_from=date(2026, 1, 1),
        lines=[(voca, Decimal("100"))],
    )
    time_split_set(
        actor=cora,
        member=cast.advocate,
        effective_from=date(2026, 2, 8),
        lines=[(voca, Decimal("25")), (stop, Decimal("75"))],
    )
    time_split_set(
        actor=cora,
        member=cast.advocate2,
        effective_from=date(2025, 6, 1),
        lines=[(voca, Decimal("50")), (stop, Decimal("50"))],
    )
    assert staff_hours(cast.agency_a, voca, date(2026, 2, 2), date(2026, 2, 15)) == Decimal("90")
    assert staff_hours(cast.agency_a, stop, date(2026, 2, 2), date(2026, 2, 15)) == Decimal("70")
