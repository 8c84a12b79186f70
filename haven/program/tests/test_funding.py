"""Activities tagged to a funding source (haven.funding) and counted for its per-grant report."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from haven.funding.models import FundingSource
from haven.program import selectors, services
from haven.program.models import ActivityKind, Audience
from haven.program.services import ActivityInput


def source(agency, name):
    return FundingSource.objects.create(
        agency=agency,
        name=name,
        kind="voca",
        period_start=date(2026, 10, 1),
        period_end=date(2027, 9, 30),
    )


def record(actor, cast, held_on, funding_source, attendees=10):
    return services.activity_record(
        actor=actor,
        data=ActivityInput(
            kind=ActivityKind.TRAINING,
            topic="Roll call",
            held_on=held_on,
            hours=Decimal(1),
            time_spent=Decimal(3),
            led_by=cast.advocate,
            audience=Audience.OFFICERS,
            attendees=attendees,
            funding_source=funding_source,
        ),
    )


def test_the_per_grant_selector_counts_only_the_sources_activities_in_the_period(cast, alice):
    voca, stop = source(cast.agency_a, "VOCA 2027"), source(cast.agency_a, "VAWA STOP")
    record(alice, cast, date(2026, 10, 5), voca, attendees=12)
    record(alice, cast, date(2026, 11, 5), voca, attendees=30)
    record(alice, cast, date(2026, 11, 6), stop)
    record(alice, cast, date(2026, 11, 7), None)
    record(alice, cast, date(2026, 9, 30), voca)  # the quarter before
    found = selectors.activities_for_funding_source(
        alice, voca, date(2026, 10, 1), date(2026, 12, 31)
    )
    assert (found.activities, found.hours, found.time_spent, found.attendees) == (
        2,
        Decimal(2),
        Decimal(6),
        42,
    )


def test_another_agencys_source_is_refused(cast, alice):
    with pytest.raises(ValidationError) as refused:
        record(alice, cast, date(2026, 11, 5), source(cast.agency_b, "B's grant"))
    assert "funding sources" in refused.value.message_dict["funding_source"][0]


def test_the_form_offers_the_agencys_sources(cast, client_as):
    voca = source(cast.agency_a, "VOCA 2027")
    source(cast.agency_b, "B's grant")
    client = client_as("advocate")
    form = client.get("/program/activities/new/").context["form"]
    assert list(form.fields["funding_source"].queryset) == [voca]
    answer = client.post(
        "/program/activities/new/",
        {
            "kind": "outreach",
            "topic": "Fair",
            "held_on": "2026-11-20",
            "hours": "3",
            "led_by": cast.advocate.pk,
            "funding_source": voca.pk,
        },
    )
    assert answer.status_code == 302
    page = client.get(answer.url)
    assert "VOCA 2027" in page.content.decode()
