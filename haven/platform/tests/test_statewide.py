"""The statewide view: every agency's de-identified totals for a quarter, small counts
suppressed, never a person's data, every view audited (haven/platform/statewide.py)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from haven.agencies.models import Agency
from haven.audit.models import SYSTEM_CHAIN, AuditAction, AuditEvent
from haven.cases.testing import PASSWORD, make_agency
from haven.program import services
from haven.program.models import ActivityKind, Audience
from haven.program.services import ActivityInput


@pytest.fixture(autouse=True)
def _on_a_known_day(clock):
    """Dec 2, 2026: the quarter asked for is FY2027 Q1 (Oct 1 – Dec 31, 2026)."""


@pytest.fixture
def as_operator(client, db):
    olga = get_user_model().objects.create_user(
        username="olga@state.gov", password=PASSWORD, is_staff=True
    )
    client.force_login(olga)
    return client


def _activity(actor, leader, kind, day, **extra):
    services.activity_record(
        actor=actor,
        data=ActivityInput(
            kind=kind, topic="T", held_on=day, hours=Decimal(1), led_by=leader, **extra
        ),
    )


@pytest.fixture
def three_agencies(cast, alice, charlie):
    """A: 14 trainings for officers (240 attendees); B: 3 outreach events; C: nothing."""
    for n in range(14):
        _activity(
            alice,
            cast.advocate,
            ActivityKind.TRAINING,
            date(2026, 10, 5 + n),
            audience=Audience.OFFICERS,
            attendees=20 if n < 12 else 0,
        )
    for n in range(3):
        _activity(charlie, cast.other_advocate, ActivityKind.OUTREACH, date(2026, 11, 1 + n))
    return make_agency("Hillside Police Victim Services", "hillside")


def _table(page) -> dict[str, list[str]]:
    result = page.context["result"]
    return {row.figure.key: [*row.cells, row.total] for row in result.rows}


def test_the_operator_sees_each_agencys_totals_with_small_counts_suppressed(
    as_operator, cast, three_agencies
):
    page = as_operator.get("/operator/statewide/?q=2027Q1")
    assert page.status_code == 200
    result = page.context["result"]
    # Agencies by name: Hillside, Lakeside (B), Riverside (A).
    assert result.agencies == [
        "Hillside Police Victim Services",
        "Lakeside Sheriff Victim Unit",
        "Riverside Police Department Victim Services",
    ]
    table = _table(page)
    # 17 activities: B's 3 is hidden, and A's 14 with it (else 17 - 14 gives B's away).
    assert table["activities"] == ["0", "<11", "suppressed", "17"]
    assert table["trainings"] == ["0", "0", "14", "14"]
    assert table["trained"] == ["0", "0", "240", "240"]
    # One open case each in A and B: shown as "<11", never as 1.
    assert table["open_cases"][1:] == ["<11", "<11", "<11"]
    # A rate over fewer than 11 cases is not shown.
    assert set(table["first_contact_within"]) == {"—"}


def test_no_persons_data_reaches_the_page_or_the_file(as_operator, cast, three_agencies):
    texts = [
        as_operator.get("/operator/statewide/?q=2027Q1").content.decode(),
        as_operator.get("/operator/statewide.csv?q=2027Q1").content.decode(),
    ]
    victim = cast.case_a.primary_victim
    for text in texts:
        for secret in (
            victim.first_name,
            victim.last_name,
            "Erin",
            cast.case_a.report_number,
            "Alice",
            "Avery",
            "Charlie",
            "(312) 555-0142",
        ):
            assert secret not in text


def test_every_view_and_export_is_audited(as_operator, cast, three_agencies):
    as_operator.get("/operator/statewide/?q=2027Q1")
    answer = as_operator.get("/operator/statewide.csv?q=2027Q1")
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0][-1] == "all agencies" and rows[1][0] == "2027Q1"
    mine = AuditEvent.objects.filter(
        chain=SYSTEM_CHAIN, actor_label="olga@state.gov", action__startswith="platform.statewide"
    )
    assert list(mine.order_by("id").values_list("action", flat=True)) == [
        AuditAction.STATEWIDE_VIEW,
        AuditAction.STATEWIDE_EXPORT,
    ]
    assert mine.first().details["quarter"] == "2027Q1"
    # Each agency's own log says its aggregates were read for the statewide view.
    for agency in Agency.objects.all():
        assert (
            AuditEvent.objects.filter(
                chain=str(agency.pk),
                action=AuditAction.AGGREGATES_VIEW,
                actor_label="statewide view (olga@state.gov)",
            ).count()
            == 2
        )


def test_members_of_agencies_may_not_see_it(client_as, cast):
    for role in ("coordinator", "supervisor", "analyst"):
        client = client_as(role)
        assert client.get("/operator/statewide/").status_code == 403
        assert client.get("/operator/statewide.csv").status_code == 403


def test_a_quarter_that_is_not_one_says_what_to_write(as_operator, cast):
    page = as_operator.get("/operator/statewide/?q=spring")
    assert page.status_code == 400
    assert "e.g. 2026Q3" in page.content.decode()
