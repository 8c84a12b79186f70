"""Rules as the statute says (issue 17, item 4). Each rule is checked against the words of
its source as haven/reference/rights.md gives them: the right, who owes it, whether the
statute makes it conditional on the victim's request, and its section of 725 ILCS 120 or
18 U.S.C. 3771."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from haven.justice import services
from haven.justice.models import Jurisdiction
from haven.justice.rules import STATUTES, rule_set

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
# The rights as the public sources state them (haven/reference/README.md): each quote must be in it.
REFERENCE = Path(__file__).resolve().parents[2] / "reference" / "rights.md"

# key: (the statute's words, the section the rule must cite, owed only on request?)
STATUTE = {
    # Illinois: Ill. Const. art. I, §8.1 and the Act's sections 4(a), 4.5.
    "il_court_proceeding_notice": (
        "timely notice of court proceedings",
        "725 ILCS 120/4(a)(3)",
        False,
    ),
    "il_heard_release_plea_sentencing": (
        "to be heard at post-arraignment proceedings on release, plea or sentencing",
        "725 ILCS 120/4(a)(5)",
        False,
    ),
    "il_communicate_with_prosecution": (
        "to communicate with the prosecution",
        "725 ILCS 120/4(a)(4)",
        False,  # the right is stated with no condition
    ),
    "il_outcome_notice": (
        "to be notified of conviction, sentence, imprisonment and release",
        "725 ILCS 120/4(a)(6)",
        False,
    ),
    "il_parole_hearing_notice": (
        "who must notify of what (... the Department of Corrections, the Prisoner Review Board)",
        "725 ILCS 120/4.5(d)",
        True,  # the Board's notice is given on the victim's request
    ),
    "il_arrest_notice": (
        "4.5(a) at the victim's request, the investigating agency gives notice of the status of"
        " the investigation until the suspect is apprehended",
        "725 ILCS 120/4.5(a)",
        True,
    ),
    "il_reopened_notice": (
        "4.5(a-5) notice when a closed case is reopened",
        "725 ILCS 120/4.5(a-5)",
        False,
    ),
    "il_release_notice": (
        "to be notified of conviction, sentence, imprisonment and release",
        "725 ILCS 120/4(a)(6)",
        False,
    ),
    "il_escape_notice": ("reasonable protection from the accused", "725 ILCS 120/4(a)(8)", False),
    "il_prison_release_notice": (
        "to be notified of conviction, sentence, imprisonment and release",
        "725 ILCS 120/4(a)(6)",
        False,  # the right to be told of the release has no request condition
    ),
    "il_protection_order_notice": (
        "reasonable protection from the accused",
        "725 ILCS 120/4(a)(8)",
        False,
    ),
    # Federal: 18 U.S.C. 3771(a).
    "cvra_proceeding_notice": (
        "reasonable, accurate and timely notice of any public court proceeding, or any parole"
        " proceeding",
        "18 U.S.C. 3771(a)(2)",
        False,
    ),
    "cvra_heard": (
        "to be reasonably heard at any public proceeding in the district court involving"
        " release, plea, sentencing, or any parole proceeding",
        "18 U.S.C. 3771(a)(4)",
        False,
    ),
    "cvra_plea_bargain": (
        "to be informed in a timely manner of any plea bargain",
        "18 U.S.C. 3771(a)(9)",
        False,
    ),
    "cvra_confer": (
        "the reasonable right to confer with the attorney for the Government in the case",
        "18 U.S.C. 3771(a)(5)",
        False,  # "reasonable", not "on request"
    ),
    "cvra_release_escape_notice": (
        "or of any release or escape of the accused",
        "18 U.S.C. 3771(a)(2)",
        False,
    ),
}


def all_rules():
    return {r.key: r for j in (Jurisdiction.ILLINOIS, Jurisdiction.FEDERAL) for r in rule_set(j)}


def test_every_rule_is_checked_against_its_statute():
    assert set(all_rules()) == set(STATUTE)


@pytest.mark.parametrize("key", sorted(STATUTE))
def test_each_rule_cites_its_section_and_asks_for_a_request_only_where_the_statute_does(key):
    words, section, on_request = STATUTE[key]
    rule = all_rules()[key]
    assert _squash(words.split("(...")[0]) in _squash(REFERENCE.read_text()), words

    assert section in rule.citation
    assert any(statute in rule.citation for statute in STATUTES)
    assert rule.on_request is on_request


def _squash(text: str) -> str:
    return " ".join(text.lower().replace("\n", " ").split())


@pytest.mark.parametrize("kind", ["transferred", "died"])
def test_a_transfer_or_a_death_is_not_a_release(cast, alice, court_case, kind):
    with time_machine.travel(NOW, tick=False):
        event = services.custody_event_record(
            actor=alice,
            case=cast.case_a,
            court_case=court_case,
            kind=kind,
            occurred_at=NOW - timedelta(hours=1),
        )
    assert not event.obligations.filter(rule_key="il_release_notice").exists()


def test_a_release_on_bond_still_owes_the_release_notice(cast, alice, court_case):
    with time_machine.travel(NOW, tick=False):
        event = services.custody_event_record(
            actor=alice,
            case=cast.case_a,
            court_case=court_case,
            kind="released_on_bond",
            occurred_at=NOW - timedelta(hours=1),
        )
    assert event.obligations.get().rule_key == "il_release_notice"


def test_every_victim_is_owed_communication_with_the_prosecution_without_asking(alice, court_case):
    with time_machine.travel(NOW, tick=False):
        event = services.court_event_record(
            actor=alice, court_case=court_case, kind="trial", scheduled_at=NOW + timedelta(days=9)
        )
    owed = event.obligations.get(rule_key="il_communicate_with_prosecution")
    assert not owed.on_request and owed.due_at == NOW + timedelta(days=9, hours=-48)


def test_every_federal_victim_may_confer_with_the_government_without_asking(alice, federal_case):
    with time_machine.travel(NOW, tick=False):
        event = services.court_event_record(
            actor=alice,
            court_case=federal_case,
            kind="trial",
            scheduled_at=NOW + timedelta(days=9),
        )
    assert not event.obligations.get(rule_key="cvra_confer").on_request


def test_a_release_from_prison_is_owed_to_every_victim_without_asking(cast, alice, court_case):
    with time_machine.travel(NOW, tick=False):
        event = services.custody_event_record(
            actor=alice,
            case=cast.case_a,
            court_case=court_case,
            kind="released_from_prison",
            occurred_at=NOW - timedelta(hours=2),
        )
    owed = event.obligations.get(rule_key="il_prison_release_notice")
    assert owed.person == cast.victim_a and owed.due_at == NOW + timedelta(hours=22)


def test_a_closed_case_reopened_owes_the_victim_notice_by_message(
    cast, alice, court_case, with_email_contact
):
    from haven.notices.models import Message

    with time_machine.travel(NOW, tick=False):
        event = services.custody_event_record(
            actor=alice,
            case=cast.case_a,
            court_case=court_case,
            kind="investigation_reopened",
            occurred_at=NOW - timedelta(hours=1),
        )
    owed = event.obligations.get()
    assert owed.rule_key == "il_reopened_notice" and owed.citation == "725 ILCS 120/4.5(a-5)"
    assert owed.owed_by == "police" and owed.due_at == NOW + timedelta(hours=23)
    message = Message.objects.get(source=f"justice.obligation:{owed.pk}")
    assert "Investigation reopened" in message.body


@pytest.fixture
def with_email_contact(cast, alice, cora):
    from datetime import time

    from haven.notices.services import notice_settings_update
    from haven.people.models import ContactKind
    from haven.people.services import contact_point_add

    notice_settings_update(actor=cora, quiet_start=time(0, 0), quiet_end=time(0, 0))
    return contact_point_add(
        actor=alice,
        person=cast.victim_a,
        kind=ContactKind.EMAIL,
        value="dana.reyes@example.org",
        ok_mail=True,
    )
