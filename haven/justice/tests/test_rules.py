"""The rule sets as data, and what an event owes under them: due times at their boundaries,
on-request rules, moved dates, cancelled and held events, jurisdictions, who is owed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.cases.services import case_add_person
from haven.justice import services
from haven.justice.models import (
    CourtEventKind,
    CustodyEventKind,
    ObligationStatus,
    RightsObligation,
)
from haven.justice.rules import FILES, rule_file, rule_set
from haven.people.services import person_create

pytestmark = pytest.mark.django_db


def keys(obligations) -> set[str]:
    return {o.rule_key for o in obligations}


def test_every_shipped_rule_set_loads_and_cites_its_sources():
    for jurisdiction in FILES:
        rules = rule_set(jurisdiction)
        assert rules, jurisdiction
        assert rule_file(jurisdiction)["sources"]
        for rule in rules:
            assert rule.citation and rule.right
            assert rule.court_kinds <= set(CourtEventKind.values)
            assert rule.custody_kinds <= set(CustodyEventKind.values)


def test_a_court_date_owes_notice_due_48_hours_after_it_is_learned_when_far_away(
    cast, alice, court_case
):
    before = timezone.now()
    hearing = before + timedelta(days=30)
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="status_hearing", scheduled_at=hearing
    )

    [notice] = RightsObligation.objects.filter(court_event=event)
    assert notice.rule_key == "il_court_proceeding_notice"
    assert notice.person == cast.victim_a
    assert notice.owed_by == "unit" and notice.status == ObligationStatus.OPEN
    assert before + timedelta(hours=48) <= notice.due_at <= timezone.now() + timedelta(hours=48)
    assert notice.template == "court_event_scheduled"


def test_a_close_court_date_is_due_72_hours_before_the_hearing(alice, court_case):
    hearing = timezone.now() + timedelta(hours=100)
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="status_hearing", scheduled_at=hearing
    )

    notice = event.obligations.get(rule_key="il_court_proceeding_notice")
    # 100 h away: 72 h before (28 h from now) comes before 48 h from now.
    assert notice.due_at == hearing - timedelta(hours=72)


def test_a_date_too_close_for_the_rule_is_due_at_once_never_in_the_past(alice, court_case):
    before = timezone.now()
    hearing = before + timedelta(hours=10)
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="status_hearing", scheduled_at=hearing
    )

    notice = event.obligations.get(rule_key="il_court_proceeding_notice")
    assert before <= notice.due_at <= timezone.now()


def test_a_plea_hearing_also_owes_the_prosecutors_right_to_be_heard(alice, court_case):
    hearing = timezone.now() + timedelta(days=20)
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="plea", scheduled_at=hearing
    )

    assert keys(event.obligations.all()) == {
        "il_court_proceeding_notice",
        "il_heard_release_plea_sentencing",
        "il_communicate_with_prosecution",
    }
    heard = event.obligations.get(rule_key="il_heard_release_plea_sentencing")
    assert heard.owed_by == "prosecutor" and heard.due_at == hearing - timedelta(hours=24)
    assert heard.template == ""


def test_on_request_rules_are_owed_only_to_a_victim_who_asked(cast, alice, court_case):
    hearing = timezone.now() + timedelta(days=20)
    first = services.court_event_record(
        actor=alice, court_case=court_case, kind="parole_hearing", scheduled_at=hearing
    )
    assert "il_parole_hearing_notice" not in keys(first.obligations.all())

    services.rights_request_record(actor=alice, case=cast.case_a, person=cast.victim_a)
    second = services.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="parole_hearing",
        scheduled_at=hearing + timedelta(days=1),
    )
    assert "il_parole_hearing_notice" in keys(second.obligations.all())
    assert second.obligations.get(rule_key="il_parole_hearing_notice").on_request


def test_every_victim_the_case_serves_is_owed_but_not_a_witness(cast, alice, court_case):
    family = case_add_person(
        actor=alice,
        case=cast.case_a,
        person=person_create(actor=alice, first_name="Mara", last_name="Reyes"),
        relation="family",
    )
    case_add_person(
        actor=alice,
        case=cast.case_a,
        person=person_create(actor=alice, first_name="Walt", last_name="Witness"),
        relation="witness",
        is_served=False,
    )
    event = services.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="arraignment",
        scheduled_at=timezone.now() + timedelta(days=9),
    )

    owed = set(event.obligations.values_list("person__first_name", flat=True))
    assert owed == {cast.victim_a.first_name, family.person.first_name}


def test_a_moved_date_closes_the_old_dates_obligation_and_owes_a_fresh_one(
    cast, alice, court_case, new_audit_events
):
    first = timezone.now() + timedelta(days=10)
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="arraignment", scheduled_at=first
    )
    services.court_event_move(actor=alice, event=event, scheduled_at=first + timedelta(days=7))

    rows = list(event.obligations.order_by("pk"))
    assert [(o.event_time, o.status) for o in rows] == [
        (first, ObligationStatus.NOT_APPLICABLE),
        (first + timedelta(days=7), ObligationStatus.OPEN),
    ]
    assert rows[1].template == "court_event_changed"
    event.refresh_from_db()
    assert event.status == "continued" and event.previous_scheduled_at == first
    assert any(
        e.details.get("moved_from") for e in new_audit_events(action="justice.court_event_save")
    )


def test_moving_it_back_to_a_time_owed_before_owes_it_again_without_a_second_row(alice, court_case):
    first = timezone.now() + timedelta(days=10)
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="arraignment", scheduled_at=first
    )
    services.court_event_move(actor=alice, event=event, scheduled_at=first + timedelta(days=1))
    services.court_event_move(actor=alice, event=event, scheduled_at=first)

    # No second row for the first time: the one it had is owed again.
    assert event.obligations.count() == 2
    assert dict(event.obligations.values_list("event_time", "status")) == {
        first: ObligationStatus.OPEN,
        first + timedelta(days=1): ObligationStatus.NOT_APPLICABLE,
    }


def test_a_cancelled_event_cancels_its_open_obligations_but_keeps_honored_ones(
    cast, alice, court_case
):
    event = services.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="sentencing",
        scheduled_at=timezone.now() + timedelta(days=10),
    )
    notice = event.obligations.get(rule_key="il_court_proceeding_notice")
    services.obligation_honor(actor=alice, obligation=notice, how="phone")

    services.court_event_cancel(actor=alice, event=event, reason="Defendant hospitalized")

    statuses = dict(event.obligations.values_list("rule_key", "status"))
    assert statuses == {
        "il_court_proceeding_notice": ObligationStatus.HONORED,
        "il_heard_release_plea_sentencing": ObligationStatus.NOT_APPLICABLE,
    }
    with pytest.raises(ValidationError, match="already cancelled"):
        services.court_event_cancel(actor=alice, event=event)


def test_a_held_sentencing_owes_notice_of_the_sentence(alice, court_case):
    event = services.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="sentencing",
        scheduled_at=timezone.now() + timedelta(days=1),
    )
    before = timezone.now()
    services.court_event_outcome(actor=alice, event=event, outcome="Sentenced to 4 years IDOC")

    outcome = event.obligations.get(rule_key="il_outcome_notice")
    assert outcome.template == "court_event_outcome"
    assert before + timedelta(hours=24) <= outcome.due_at <= timezone.now() + timedelta(hours=24)


def test_a_release_is_due_four_hours_after_it_happened_not_after_it_was_entered(
    cast, alice, court_case
):
    released = timezone.now() - timedelta(hours=5)
    event = services.custody_event_record(
        actor=alice,
        case=cast.case_a,
        court_case=court_case,
        kind="released_on_bond",
        occurred_at=released,
        conditions="No contact with the victim; GPS monitoring",
    )

    notice = event.obligations.get()
    assert notice.rule_key == "il_release_notice" and notice.owed_by == "police"
    assert notice.due_at == released + timedelta(hours=4)
    assert notice.is_overdue()


def test_federal_rules_apply_only_to_a_federal_court_case_when_turned_on(
    cast, alice, cora, court_case, federal_case
):
    when = timezone.now() + timedelta(days=20)
    state = services.court_event_record(
        actor=alice, court_case=court_case, kind="plea", scheduled_at=when
    )
    federal = services.court_event_record(
        actor=alice, court_case=federal_case, kind="plea", scheduled_at=when
    )

    assert {o.jurisdiction for o in state.obligations.all()} == {"illinois"}
    assert keys(federal.obligations.all()) == {
        "cvra_proceeding_notice",
        "cvra_heard",
        "cvra_plea_bargain",
    }
    services.justice_settings_save(actor=cora, illinois=True, federal_cvra=False)
    later = services.court_event_record(
        actor=alice, court_case=federal_case, kind="plea", scheduled_at=when + timedelta(days=1)
    )
    assert not later.obligations.exists()
