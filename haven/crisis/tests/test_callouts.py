"""Call-outs: recording one, the one-tap times, the times that cannot be, who may see and
work one, the list's order, and opening a case from one."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from haven.audit.models import AuditAction, AuditEvent
from haven.cases.models import Case, CaseEvent
from haven.crisis import selectors
from haven.crisis.models import CallOut, CallOutStatus
from haven.crisis.services import (
    callout_cancel,
    callout_link_case,
    callout_outcome,
    callout_record,
    callout_stamp,
)
from haven.crisis.tests.conftest import ago, callout_input
from haven.people.indexes import last_name_index

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


def test_a_specialist_records_a_call_out_with_its_times(cast, alice):
    callout = callout_record(
        actor=alice,
        data=callout_input(
            requested_at=ago(hours=3),
            dispatched_at=ago(hours=2, minutes=50),
            arrived_at=ago(hours=2, minutes=25),
            cleared_at=ago(hours=1),
            place="hospital",
            place_detail="Mercy Hospital, ER bay 4",
            requester="Officer Diaz, 11th district",
            case=cast.case_a,
            responders=[cast.advocate, cast.advocate2],
        ),
    )

    callout.refresh_from_db()
    assert callout.status == CallOutStatus.CLEARED
    assert callout.response_minutes == 35
    assert callout.district == cast.district_a  # the case's district
    assert set(callout.responders.all()) == {cast.advocate, cast.advocate2}
    assert callout.place_detail == "Mercy Hospital, ER bay 4"
    line = CaseEvent.objects.get(case=cast.case_a, kind="crisis")
    assert "hospital" in line.data["summary"] and "Mercy" not in line.data["summary"]
    assert AuditEvent.objects.filter(action=AuditAction.CALLOUT_SAVE, object_id=callout.pk).exists()


@pytest.mark.parametrize(
    ("times", "field", "words"),
    [
        ({"arrived_at": -10}, "arrived_at", "is before the request"),
        ({"arrived_at": 24 * 60 + 1}, "arrived_at", "more than a day after the request"),
        ({"dispatched_at": -1}, "dispatched_at", "Dispatched before the request"),
        ({"dispatched_at": 20, "arrived_at": 10}, "arrived_at", "before the dispatch"),
        ({"arrived_at": 10, "cleared_at": 5}, "cleared_at", "Cleared before"),
    ],
)
def test_times_that_cannot_be_are_refused_with_what_to_fix(alice, times, field, words):
    asked = ago(days=3)
    moments = {name: asked + timedelta(minutes=m) for name, m in times.items()}

    with pytest.raises(ValidationError) as refused:
        callout_record(actor=alice, data=callout_input(requested_at=asked, **moments))

    assert any(words in m for m in refused.value.message_dict[field])
    assert not CallOut.objects.exists()


def test_an_arrival_exactly_a_day_after_the_request_is_taken(alice):
    asked = ago(days=2)
    callout = callout_record(
        actor=alice, data=callout_input(requested_at=asked, arrived_at=asked + timedelta(days=1))
    )
    assert callout.response_minutes == 24 * 60


def test_a_time_ahead_of_now_is_refused(alice):
    with pytest.raises(ValidationError) as refused:
        callout_record(actor=alice, data=callout_input(requested_at=ago(minutes=-30)))
    assert "has not happened yet" in refused.value.message_dict["requested_at"][0]


def typed(moment) -> str:
    """A time as the form's picker sends it: the agency's wall clock (Chicago)."""
    return timezone.localtime(moment, CHICAGO).strftime("%Y-%m-%dT%H:%M")


def test_the_new_page_shows_the_refusal_on_the_field(client_as):
    client = client_as("advocate")
    now = timezone.now()
    response = client.post(
        reverse("crisis:new"),
        {
            "requested_by": "dispatch",
            "requested_at": typed(now - timedelta(hours=2)),
            "place": "scene",
            "arrived_at": typed(now - timedelta(hours=3)),
        },
    )
    assert response.status_code == 400
    assert "is before the request" in response.content.decode()
    assert not CallOut.objects.exists()


def test_the_buttons_stamp_dispatched_arrived_and_cleared(cast, client_as, clock):
    client = client_as("advocate")
    response = client.post(
        reverse("crisis:new"),
        {
            "requested_by": "hospital",
            "requested_at": typed(timezone.now()),
            "place": "hospital",
            "case_number": cast.case_a.number,
        },
    )
    callout = CallOut.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "crisis:detail", args=[callout.pk]
    )
    page = client.get(response.url).content.decode()
    assert "Dispatched now" in page and "Arrived now" in page

    clock.shift(timedelta(minutes=5))
    client.post(reverse("crisis:stamp", args=[callout.pk, "dispatched"]))
    clock.shift(timedelta(minutes=20))
    client.post(reverse("crisis:stamp", args=[callout.pk, "arrived"]))
    callout.refresh_from_db()
    assert callout.status == CallOutStatus.ARRIVED
    assert 25 <= callout.response_minutes <= 26  # the form keeps whole minutes
    assert list(callout.responders.all()) == [cast.advocate]

    client.post(reverse("crisis:stamp", args=[callout.pk, "cleared"]))
    again = client.post(reverse("crisis:stamp", args=[callout.pk, "arrived"]), follow=True)
    callout.refresh_from_db()
    assert callout.status == CallOutStatus.CLEARED
    assert "This call-out is cleared." in again.content.decode()
    summaries = [e.data["summary"] for e in CaseEvent.objects.filter(kind="crisis")]
    assert len(summaries) == 4 and summaries[1].startswith("Call-out: arrived at")


def test_a_stamp_more_than_a_day_after_the_request_is_refused(alice, clock):
    callout = callout_record(actor=alice, data=callout_input(requested_at=ago(minutes=1)))
    clock.shift(timedelta(days=1, hours=1))
    with pytest.raises(ValidationError, match="more than a day after"):
        callout_stamp(actor=alice, callout=callout, step="arrived")


def test_called_off_outcome_and_linking(cast, alice):
    callout = callout_record(actor=alice, data=callout_input())
    callout_outcome(actor=alice, callout=callout, outcome="not_present", note="Gone on arrival")
    callout_link_case(actor=alice, callout=callout, case=cast.case_a)
    callout_cancel(actor=alice, callout=callout, reason="Victim left with family")
    callout.refresh_from_db()
    assert callout.status == CallOutStatus.CANCELLED and callout.case == cast.case_a
    with pytest.raises(ValidationError, match="called off"):
        callout_stamp(actor=alice, callout=callout, step="dispatched")


def test_the_list_shows_open_call_outs_first_the_longest_waiting_on_top(alice, client_as):
    done = callout_record(
        actor=alice,
        data=callout_input(
            requested_at=ago(minutes=5), arrived_at=ago(minutes=4), cleared_at=ago(minutes=1)
        ),
    )
    older = callout_record(actor=alice, data=callout_input(requested_at=ago(hours=2)))
    newer = callout_record(actor=alice, data=callout_input(requested_at=ago(minutes=10)))
    on_scene = callout_record(
        actor=alice, data=callout_input(requested_at=ago(hours=3), arrived_at=ago(hours=2))
    )

    assert [c.pk for c in selectors.callout_list(alice)] == [
        older.pk,
        newer.pk,
        on_scene.pk,
        done.pk,
    ]
    assert client_as("advocate").get(reverse("crisis:list")).status_code == 200


def test_officers_analysts_and_other_agencies_see_no_call_out(cast, alice, client_as):
    callout = callout_record(actor=alice, data=callout_input(case=cast.case_a))
    detail = reverse("crisis:detail", args=[callout.pk])
    assert client_as("officer").get(reverse("crisis:list")).status_code == 403
    assert client_as("analyst").get(detail).status_code == 403
    assert client_as("other_advocate").get(detail).status_code == 404
    assert (
        client_as("other_advocate")
        .post(reverse("crisis:stamp", args=[callout.pk, "arrived"]))
        .status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        callout_stamp(actor=cast.actor("other_advocate"), callout=callout, step="arrived")
    assert client_as("supervisor").get(detail).status_code == 200


def test_a_call_out_on_a_case_outside_the_caseload_is_hidden(cast, alice, client_as):
    cast.agency_a.advocates_see_own_caseload_only = True
    cast.agency_a.save(update_fields=["advocates_see_own_caseload_only"])
    callout = callout_record(actor=alice, data=callout_input(case=cast.case_a))
    assert (
        client_as("advocate2").get(reverse("crisis:detail", args=[callout.pk])).status_code == 404
    )


def test_a_case_is_opened_from_a_call_out_and_tied_to_it(cast, alice, client_as):
    callout = callout_record(actor=alice, data=callout_input(requested_by="hotline", place="phone"))
    client = client_as("advocate")
    url = reverse("intake:case_new") + f"?callout={callout.pk}"
    assert "Opened from the call-out" in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "first_name": "Nora",
            "last_name": "Night",
            "preferred_language": "en",
            "source": "hotline",
            "received_at": typed(callout.requested_at),
            "victimizations": ["adult_physical_assault"],
            "priority": "normal",
        },
    )

    case = Case.objects.get(primary_victim__last_name_index=last_name_index("Night"))
    assert response.status_code == 302
    callout.refresh_from_db()
    assert callout.case == case
    assert CaseEvent.objects.filter(case=case, kind="crisis").exists()


def test_tying_to_a_case_by_its_number_and_a_number_that_is_none(cast, alice, client_as):
    callout = callout_record(actor=alice, data=callout_input())
    client = client_as("advocate")
    url = reverse("crisis:link", args=[callout.pk])

    wrong = client.post(url, {"case_number": cast.case_b.number + "9"}, follow=True)
    assert "No case" in wrong.content.decode()
    client.post(url, {"case_number": cast.case_a.number})
    callout.refresh_from_db()
    assert callout.case == cast.case_a


def test_the_list_reads_a_fixed_number_of_queries(alice, client_as, django_assert_max_num_queries):
    client = client_as("advocate")
    client.get(reverse("crisis:list"))  # the session's first reads
    callout_record(actor=alice, data=callout_input(responders=[alice.membership]))
    # The signed-in request's own cost (session, user, django-otp's devices of each kind,
    # the actor, the audit event) plus the list itself.
    with django_assert_max_num_queries(13) as few:
        client.get(reverse("crisis:list"))
    for _ in range(5):
        callout_record(actor=alice, data=callout_input(responders=[alice.membership]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("crisis:list")).status_code == 200
