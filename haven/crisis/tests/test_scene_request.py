"""The officer's scene referral asks for a specialist to come: a call-out on the new case, the
on-call specialist alerted by email (no victim's name in it), and the receipt saying so."""

import pytest
from django.core import mail
from django.urls import reverse

from haven.audit.models import AuditAction, AuditEvent
from haven.cases.models import Case
from haven.crisis.models import CallOut, CallOutStatus, RequestedBy
from haven.people.indexes import last_name_index

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Tamara",
    "last_name": "Quintero",
    "phone": "(773) 555-0142",
    "preferred_language": "en",
    "victimizations": ["adult_physical_assault"],
    "consent": "yes",
}


def refer(client, **changes):
    data = FORM | changes
    return client.post(reverse("intake:scene_referral"), {k: v for k, v in data.items() if v})


def test_the_officer_asks_for_a_specialist_at_the_hospital(
    client_as, cast, on_call, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = refer(
            client_as("officer"),
            specialist_needed="on",
            callout_place="hospital",
            callout_place_detail="Mercy Hospital ER",
        )

    assert response.status_code == 302
    case = Case.objects.get(primary_victim__last_name_index=last_name_index("Quintero"))
    callout = CallOut.objects.get()
    assert callout.case == case and callout.status == CallOutStatus.REQUESTED
    assert callout.requested_by == RequestedBy.OFFICER
    assert callout.requested_by_member == cast.officer and callout.requester == "Oscar Ortiz"
    assert callout.place == "hospital" and callout.place_detail == "Mercy Hospital ER"
    # The referral's alert and the call-out's, both to the specialist on call.
    assert [m.to for m in mail.outbox] == [[on_call.user.email], [on_call.user.email]]
    alert = next(m for m in mail.outbox if m.subject.startswith("Specialist requested"))
    assert alert.subject == f"Specialist requested at a hospital: case {case.number}"
    assert reverse("crisis:detail", args=[callout.pk]) in alert.body
    assert "Quintero" not in alert.body and "Mercy" not in alert.body
    assert AuditEvent.objects.filter(action=AuditAction.CALLOUT_ALERT).count() == 1

    receipt = client_as("officer").get(reverse("intake:scene_referral_received"))
    assert "A specialist has been asked to come at a hospital" in receipt.content.decode()


def test_asking_without_saying_where_is_refused_and_nothing_is_saved(client_as, on_call):
    response = refer(client_as("officer"), specialist_needed="on")

    assert response.status_code == 400
    assert "Say where the specialist should come." in response.content.decode()
    assert not Case.objects.filter(
        primary_victim__last_name_index=last_name_index("Quintero")
    ).exists()
    assert not CallOut.objects.exists()


def test_a_referral_that_asks_for_nobody_makes_no_call_out(client_as, on_call):
    assert refer(client_as("officer")).status_code == 302
    assert not CallOut.objects.exists()


def test_the_officer_still_sees_no_call_out(client_as, on_call):
    refer(client_as("officer"), specialist_needed="on", callout_place="scene")
    callout = CallOut.objects.get()
    assert client_as("officer").get(reverse("crisis:detail", args=[callout.pk])).status_code == 403
