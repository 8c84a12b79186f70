"""haven.lib.events: sent after commit, each subscriber on its own, and the wiring of the
events the apps publish."""

import logging

import pytest
from django.db import transaction

from haven.cases.models import Case, CaseStatus
from haven.cases.services import case_change_status
from haven.cases.signals import case_assigned, case_closed
from haven.lib.events import EVENTS, Event
from haven.notices.signals import message_delivered, message_sent

something_happened = Event("tests.something_happened", "Only for these tests. Facts: n.")


@pytest.fixture
def heard():
    got = []

    def listener(sender, *, n, **facts):
        got.append(n)

    something_happened.connect(listener, dispatch_uid="tests.listener")
    yield got
    something_happened.disconnect(dispatch_uid="tests.listener")


def broken(sender, **facts):
    raise RuntimeError("subscriber is broken")


@pytest.mark.django_db(transaction=True)
def test_an_event_reaches_its_subscribers_only_after_commit(heard):
    with transaction.atomic():
        something_happened.publish(sender=None, n=1)
        assert heard == []

    assert heard == [1]


@pytest.mark.django_db(transaction=True)
def test_an_event_of_work_rolled_back_is_never_sent(heard):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        something_happened.publish(sender=None, n=1)
        1 / 0  # noqa: B018

    assert heard == []


def test_tests_see_the_event_as_one_on_commit_callback(
    db, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        something_happened.publish(sender=None, n=2)

    assert len(callbacks) == 1 and heard == []
    callbacks[0]()
    assert heard == [2]


def test_a_failing_subscriber_is_logged_and_the_others_still_hear(
    db, heard, caplog, django_capture_on_commit_callbacks
):
    something_happened.connect(broken, dispatch_uid="tests.broken")
    try:
        with (
            caplog.at_level(logging.ERROR, logger="haven.events"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            something_happened.publish(sender=None, n=3)
    finally:
        something_happened.disconnect(dispatch_uid="tests.broken")

    assert heard == [3]
    (record,) = [r for r in caplog.records if r.name == "haven.events"]
    assert "tests.something_happened" in record.getMessage()
    assert "broken" in record.getMessage()
    assert record.exc_info[0] is RuntimeError


def test_a_failing_subscriber_leaves_the_closed_case_closed(
    cast, alice, caplog, django_capture_on_commit_callbacks
):
    case_closed.connect(broken, dispatch_uid="tests.broken")
    try:
        with (
            caplog.at_level(logging.ERROR, logger="haven.events"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            case_change_status(
                actor=alice, case=cast.case_a, status=CaseStatus.CLOSED, reason="Done"
            )
    finally:
        case_closed.disconnect(dispatch_uid="tests.broken")

    assert Case.objects.get(pk=cast.case_a.pk).status == CaseStatus.CLOSED
    assert any("cases.case_closed" in r.getMessage() for r in caplog.records)


def test_two_events_cannot_share_a_name():
    with pytest.raises(ValueError, match="tests.something_happened"):
        Event("tests.something_happened", "A second one.")


def test_the_apps_subscribe_to_what_the_lower_apps_publish():
    # Higher apps connect in their AppConfig.ready; the publishers import none of them.
    assert case_assigned.subscribers() == ["haven.notices.receivers.tell_victim_of_specialist"]
    assert case_closed.subscribers() == ["haven.reports.receivers.offer_closure_survey"]
    assert message_sent.subscribers() == ["haven.justice.apps._honor_obligation"]
    assert message_delivered.subscribers() == ["haven.justice.apps._honor_obligation"]
    assert {"cases.case_assigned", "cases.case_closed"} <= set(EVENTS)
