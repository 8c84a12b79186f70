"""An officer's referral from the scene: the case it opens, who gets it, the alert by email
(to a real SMTP server), the receipt, and everything the officer still may not see."""

from datetime import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from haven.agencies.models import Agency
from haven.agencies.roles import Perm, Role
from haven.audit.models import AuditAction
from haven.cases.models import Assignment, Case, CaseSource, Priority
from haven.cases.testing import make_member
from haven.core.actor import Actor
from haven.intake.scene_referral import (
    Consent,
    ReferredVictim,
    _ReferringActor,
    agency_set_on_call,
    officer_referral_open,
    referral_receipt,
)
from haven.intake.views import RECEIPT_KEY
from haven.notices.staff_alerts import alerts_send_due
from haven.people.indexes import last_name_index
from haven.people.models import ContactKind

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Tamara",
    "last_name": "Quintero",
    "phone": "(773) 555-0142",
    "safe_to_call": "on",
    "ok_text": "on",
    "safe_from": "09:00",
    "safe_until": "17:00",
    "email": "tq@example.org",
    "preferred_language": "es",
    "interpreter_needed": "on",
    "report_number": "JA200777",
    "victimizations": ["domestic_violence", "stalking"],
    "consent": "yes",
    "note": "Needs an emergency shelter bed tonight and a ride to the hospital.",
    "urgent": "on",
}
SECRETS = ["Tamara", "Quintero", "JA200777", "shelter", "5550142", "tq@example.org"]


def refer(client, **changes):
    data = FORM | changes
    return client.post(reverse("intake:scene_referral"), {k: v for k, v in data.items() if v})


def the_referral() -> Case:
    return Case.objects.get(primary_victim__last_name_index=last_name_index("Quintero"))


def victim(**changes) -> ReferredVictim:
    fields = {"first_name": "Tamara", "last_name": "Quintero", "phone": "773-555-0142"}
    return ReferredVictim(**(fields | changes))


# The officer's referral.


def test_an_officer_opens_a_referral_that_goes_to_the_on_call_specialist(
    client_as, cast, on_call, new_audit_events
):
    before = timezone.now()
    response = refer(client_as("officer"))

    assert response.status_code == 302 and response.url == reverse("intake:scene_referral_received")
    case = the_referral()
    assert case.source == CaseSource.OFFICER_REFERRAL
    assert before <= case.received_at <= timezone.now()
    assert case.created_by == cast.officer
    assert case.priority == Priority.HIGH
    assert case.report_number == "JA200777"
    assert case.assigned_to == on_call
    assert Assignment.objects.get(case=case).assignee == on_call
    assert sorted(case.victimizations.values_list("code", flat=True)) == [
        "domestic_violence",
        "stalking",
    ]
    person = case.primary_victim
    assert (person.first_name, person.last_name) == ("Tamara", "Quintero")
    assert person.preferred_language == "es" and person.interpreter_needed
    phone = person.contact_points.get(kind=ContactKind.PHONE)
    assert phone.value == "+17735550142" and phone.is_primary
    assert (phone.ok_to_contact, phone.ok_voicemail, phone.ok_text) == (True, False, True)
    assert (phone.safe_from, phone.safe_until) == (time(9), time(17))
    assert phone.safety_note == ""
    assert person.contact_points.get(kind=ContactKind.EMAIL).value == "tq@example.org"
    assert "Referred from the scene by Oscar Ortiz" in case.narrative
    assert "Consent to contact: Yes, the victim agrees to be contacted." in case.narrative
    assert "URGENT" in case.narrative
    assert "emergency shelter bed" in case.narrative
    assert case.events.get(kind="created").actor == cast.officer

    events = [
        e for e in new_audit_events(agency_id=cast.agency_a.pk) if e.action != AuditAction.SIGN_IN
    ]
    assert [e.action for e in events] == [
        AuditAction.PERSON_CREATE,
        AuditAction.CONTACT_POINT_ADD,
        AuditAction.CONTACT_POINT_ADD,
        AuditAction.CASE_CREATE,
        AuditAction.SCENE_REFERRAL,
    ]
    assert {(e.actor_id, e.actor_label, e.role) for e in events} == {
        (cast.officer.user_id, "oscar", Role.OFFICER)
    }
    referral = events[-1]
    assert referral.object_id == str(case.pk)
    assert referral.details == {
        "consent": "yes",
        "urgent": True,
        "priority": "high",
        "assignee": on_call.pk,
        "report_number_given": True,
    }
    assert not any(secret in str(e.details) for e in events for secret in SECRETS)


def test_without_anyone_on_call_the_referral_lands_unassigned(client_as, cast):
    response = refer(client_as("officer"), urgent="")

    assert response.status_code == 302
    case = the_referral()
    assert case.assigned_to is None and case.priority == Priority.NORMAL
    assert not Assignment.objects.filter(case=case).exists()
    assert "URGENT" not in case.narrative


def test_an_on_call_specialist_who_left_is_passed_over(client_as, cast, on_call):
    on_call.is_active = False
    on_call.save(update_fields=["is_active"])

    refer(client_as("officer"))

    assert the_referral().assigned_to is None


def test_a_police_report_is_not_required(client_as, cast):
    response = refer(client_as("officer"), report_number="")

    assert response.status_code == 302
    assert the_referral().report_number == ""


def test_a_specialist_can_refer_from_the_scene_too(cast, on_call):
    case = officer_referral_open(
        actor=cast.actor("advocate2"),
        victim=victim(),
        victimizations=["robbery"],
        consent=Consent.YES,
    )
    assert case.created_by == cast.advocate2 and case.assigned_to == on_call


# Consent and the ways to reach the victim.


@pytest.mark.parametrize("answer", [Consent.NO, Consent.NOT_ASKED])
def test_the_case_opens_whatever_the_consent_answer_and_records_it(cast, answer, new_audit_events):
    case = officer_referral_open(
        actor=cast.actor("officer"), victim=victim(), victimizations=["other"], consent=answer
    )
    assert f"Consent to contact: {Consent(answer).label}." in case.narrative
    event = new_audit_events(action=AuditAction.SCENE_REFERRAL)[0]
    assert event.details["consent"] == answer


def test_the_consent_question_must_be_answered(client_as, cast, row_counts):
    client = client_as("officer")
    before = row_counts()
    response = refer(client, consent="")

    assert response.status_code == 400
    assert "Say what the victim answered" in response.content.decode()
    assert row_counts() == before
    with pytest.raises(ValidationError) as caught:
        officer_referral_open(
            actor=cast.actor("officer"), victim=victim(), victimizations=["other"], consent="maybe"
        )
    assert "consent" in caught.value.message_dict
    assert row_counts() == before


def test_a_bad_phone_is_a_clear_error_and_nothing_is_saved(client_as, cast, row_counts):
    client = client_as("officer")
    before = row_counts()
    response = refer(client, phone="555-01")

    page = response.content.decode()
    assert response.status_code == 400
    assert "is not a valid phone number" in page or "is not a phone number" in page
    assert "Include the area code" in page or "Check the digits" in page
    assert 'value="Tamara"' in page  # what the officer typed is still there
    assert row_counts() == before


def test_half_the_safe_hours_is_an_error_and_nothing_is_saved(client_as, cast, row_counts):
    client = client_as("officer")
    before = row_counts()
    response = refer(client, safe_until="")

    assert response.status_code == 400
    assert "Give both ends of the safe hours" in response.content.decode()
    assert row_counts() == before


def test_with_no_phone_or_email_the_note_must_say_how_to_reach_the_victim(cast, row_counts):
    officer = cast.actor("officer")
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        officer_referral_open(
            actor=officer, victim=victim(phone=""), victimizations=["other"], consent="yes"
        )
    assert "say in the note how" in caught.value.message_dict["phone"][0]
    assert row_counts() == before

    case = officer_referral_open(
        actor=officer,
        victim=victim(phone=""),
        victimizations=["other"],
        consent="yes",
        note="Staying with her sister; reach her through the hospital social worker.",
    )
    assert not case.primary_victim.contact_points.exists()


def test_a_number_not_safe_to_call_says_so_beside_it(cast):
    officer = cast.actor("officer")
    texts = officer_referral_open(
        actor=officer, victim=victim(ok_text=True), victimizations=["other"], consent="yes"
    )
    point = texts.primary_victim.contact_points.get()
    assert point.safety_note == "Not marked safe to call at the scene: text first."

    neither = officer_referral_open(
        actor=officer, victim=victim(last_name="Other"), victimizations=["other"], consent="yes"
    )
    assert (
        "Not marked safe to call or text" in neither.primary_victim.contact_points.get().safety_note
    )


def test_at_least_one_victimization_type_is_required(client_as, cast, row_counts):
    client = client_as("officer")
    before = row_counts()
    response = refer(client, victimizations=[])

    assert response.status_code == 400
    assert "Choose at least one." in response.content.decode()
    assert row_counts() == before


# The alert.


def test_the_alert_reaches_the_on_call_specialist_by_smtp_after_commit_without_names(
    client_as, cast, on_call, smtp_inbox, django_capture_on_commit_callbacks, new_audit_events
):
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        refer(client)
    assert smtp_inbox.messages == []  # nothing goes out before the commit
    assert len(callbacks) == 1

    for callback in callbacks:
        callback()
    alerts_send_due()  # the staff-alert worker (its kick waits for a commit the test never makes)

    case = the_referral()
    assert len(smtp_inbox.messages) == 1
    recipients, message = smtp_inbox.messages[0]
    assert recipients == ["alice@riverside.example"]
    assert message["Subject"] == f"New officer referral: case {case.number}, HIGH priority"
    body = message.get_payload(decode=True).decode()
    assert f"http://testserver/cases/{case.pk}/" in body
    assert "Assigned to: Alice Avery" in body
    raw = message.as_string()
    for secret in SECRETS + ["Domestic", "Stalking"]:
        assert secret not in body and secret not in raw, secret
    alert = new_audit_events(action=AuditAction.SCENE_REFERRAL_ALERT)[0]
    assert alert.actor_label == "referral alert" and alert.role == "system"
    # Alice is on call with a phone: the alert went to her by text as well.
    assert alert.details == {"to": [on_call.pk], "texted": [on_call.pk], "fallback": False}


def test_with_nobody_on_call_the_supervisors_are_alerted(
    cast, smtp_inbox, django_capture_on_commit_callbacks
):
    for member, address in ((cast.supervisor, "sam@x.example"), (cast.coordinator, "cora@x.e")):
        member.user.email = address
        member.user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        case = officer_referral_open(
            actor=cast.actor("officer"), victim=victim(), victimizations=["other"], consent="yes"
        )

    # One email to each (the outbox tracks each recipient's delivery on its own).
    assert sorted(r for rcpts, _m in smtp_inbox.messages for r in rcpts) == [
        "cora@x.e",
        "sam@x.example",
    ]
    recipients, message = smtp_inbox.messages[0]
    assert message["Subject"] == f"New officer referral: case {case.number}, normal priority"
    assert "Nobody on call could be alerted" in message.get_payload(decode=True).decode()


def test_a_failed_referral_sends_no_alert(
    client_as, cast, on_call, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        refer(client_as("officer"), phone="12")
    assert callbacks == [] and mail.outbox == []


# The receipt, and what the officer still may not see.


def test_the_officer_sees_a_receipt_with_who_will_reach_out_and_nothing_more(
    client_as, cast, on_call
):
    client = client_as("officer")
    response = refer(client, note="Needs a ride")
    case = the_referral()

    page = client.get(response.url).content.decode()
    assert "Referral received" in page
    assert case.number in page
    assert "Alice Avery" in page and "(312) 555-0101" in page
    assert "What to tell the victim" in page
    assert cast.case_a.number not in page  # no other case
    for secret in SECRETS + ["Needs a ride"]:
        assert secret not in page, secret


def test_the_receipt_without_anyone_on_call_gives_the_units_phone(client_as, cast):
    Agency.objects.filter(pk=cast.agency_a.pk).update(phone="(312) 555-0100")
    client = client_as("officer")
    refer(client)

    page = client.get(reverse("intake:scene_referral_received")).content.decode()
    assert "Nobody is on call right now" in page
    assert "(312) 555-0100" in page


def test_the_officer_still_cannot_open_the_case(client_as, cast, on_call):
    client = client_as("officer")
    refer(client)
    case = the_referral()

    assert client.get(reverse("cases:detail", args=[case.pk])).status_code in (403, 404)
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code in (403, 404)
    assert client.get(reverse("people:detail", args=[case.primary_victim_id])).status_code in (
        403,
        404,
    )
    listing = client.get(reverse("cases:list"))
    assert listing.status_code == 403
    officer = cast.actor("officer")
    assert not officer.has(Perm.CASE_VIEW) and not officer.has(Perm.PERSON_EDIT)


def test_a_receipt_is_only_for_the_member_who_made_the_referral(client_as, cast):
    case = officer_referral_open(
        actor=cast.actor("officer"), victim=victim(), victimizations=["other"], consent="yes"
    )
    other_officer = make_member(cast.agency_a, "olga", Role.OFFICER)
    with pytest.raises(Http404):
        referral_receipt(Actor.for_membership(other_officer), case.pk)
    # Not a referral at all: the cast's outreach case.
    with pytest.raises(Http404):
        referral_receipt(cast.actor("officer"), cast.case_a.pk)

    client = client_as("officer")
    nothing_yet = client.get(reverse("intake:scene_referral_received"))
    assert nothing_yet.status_code == 302 and nothing_yet.url == reverse("intake:scene_referral")
    session = client.session
    session[RECEIPT_KEY] = cast.case_a.pk
    session.save()
    assert client.get(reverse("intake:scene_referral_received")).status_code == 404


@pytest.mark.parametrize("role", ["analyst", "auditor"])
def test_analysts_and_auditors_may_not_refer(client_as, cast, role, row_counts):
    client = client_as(role)
    before = row_counts()
    assert client.get(reverse("intake:scene_referral")).status_code == 403
    assert refer(client).status_code == 403
    assert client.get(reverse("intake:scene_referral_received")).status_code == 403
    with pytest.raises(PermissionDenied):
        officer_referral_open(
            actor=cast.actor(role), victim=victim(), victimizations=["other"], consent="yes"
        )
    with pytest.raises(PermissionDenied):
        _ReferringActor.lending(cast.actor(role), frozenset({Perm.CASE_CREATE}))
    assert row_counts() == before


def test_the_system_actor_cannot_refer(cast):
    with pytest.raises(PermissionDenied):
        officer_referral_open(
            actor=Actor.system(cast.agency_a, "script"),
            victim=victim(),
            victimizations=["other"],
            consent="yes",
        )


def test_another_agencys_officer_sees_and_reaches_nothing_of_a(client, cast, on_call):
    b_officer = make_member(cast.agency_b, "bert", Role.OFFICER, full_name="Bert Lake")
    client.force_login(b_officer.user)
    a_cases = Case.objects.filter(agency=cast.agency_a).count()

    response = refer(client)
    case = Case.objects.get(
        agency=cast.agency_b, primary_victim__last_name_index=last_name_index("Quintero")
    )
    assert case.assigned_to is None  # A's on-call specialist is not B's
    assert Case.objects.filter(agency=cast.agency_a).count() == a_cases
    page = client.get(response.url).content.decode()
    assert "Alice Avery" not in page and cast.agency_a.name not in page
    assert cast.agency_b.name in page

    a_referral = officer_referral_open(
        actor=cast.actor("officer"), victim=victim(), victimizations=["other"], consent="yes"
    )
    session = client.session
    session[RECEIPT_KEY] = a_referral.pk
    session.save()
    response = client.get(reverse("intake:scene_referral_received"))
    assert response.status_code == 404
    assert a_referral.number not in response.content.decode()
    assert client.get(reverse("cases:detail", args=[a_referral.pk])).status_code in (403, 404)


# The form itself.


def test_the_form_puts_the_common_victimization_types_first(client_as, cast):
    page = client_as("officer").get(reverse("intake:scene_referral")).content.decode()
    labels = [
        "Domestic and/or family violence",
        "Adult sexual assault",
        "Adult physical assault",
        "Stalking/harassment",
        "Survivors of homicide victims",
        "Child physical abuse or neglect",
        "Child sexual abuse/assault",
        "Robbery",
    ]
    positions = [page.index(label) for label in labels]
    assert positions == sorted(positions)
    assert positions[-1] < page.index("More types") < page.index("Identity theft")
    assert 'autocomplete="off"' in page
    assert "LETHALITY" not in page  # the placeholder is a template comment


def test_officers_find_the_form_in_the_menu(client_as, cast):
    page = client_as("officer").get(reverse("cases:served")).content.decode()
    assert "Refer a victim" in page
    assert (
        "Refer a victim"
        not in client_as("advocate").get(reverse("cases:caseload")).content.decode()
    )


# Who is on call.


def test_a_supervisor_sets_who_is_on_call_and_the_units_phone(client_as, cast, new_audit_events):
    client = client_as("supervisor")
    assert client.get(reverse("intake:on_call")).status_code == 200
    response = client.post(
        reverse("intake:on_call"), {"on_call": cast.advocate2.pk, "phone": "312.555.0100"}
    )

    assert response.status_code == 302
    agency = Agency.objects.get(pk=cast.agency_a.pk)
    assert agency.on_call == cast.advocate2 and agency.phone == "(312) 555-0100"
    event = new_audit_events(action=AuditAction.ON_CALL_SET)[0]
    assert event.actor_label == "sam"
    assert event.details == {"fields": ["on_call", "phone"], "on_call": cast.advocate2.pk}

    client.post(reverse("intake:on_call"), {"on_call": "", "phone": "312.555.0100"})
    assert Agency.objects.get(pk=cast.agency_a.pk).on_call is None
    assert new_audit_events(action=AuditAction.ON_CALL_SET)[-1].details["fields"] == ["on_call"]


@pytest.mark.parametrize("role", ["advocate", "officer", "analyst", "auditor"])
def test_other_roles_may_not_set_who_is_on_call(client_as, cast, role):
    client = client_as(role)
    assert client.get(reverse("intake:on_call")).status_code == 403
    client.post(reverse("intake:on_call"), {"on_call": cast.advocate.pk})
    assert Agency.objects.get(pk=cast.agency_a.pk).on_call is None


def test_only_an_active_specialist_of_the_agency_can_be_on_call(client_as, cast):
    sam = cast.actor("supervisor")
    for member in (cast.officer, cast.other_advocate):
        with pytest.raises(ValidationError, match="active specialist of this agency"):
            agency_set_on_call(actor=sam, on_call=member, phone="")
    with pytest.raises(ValidationError, match="phone number"):
        agency_set_on_call(actor=sam, on_call=None, phone="12")
    response = client_as("supervisor").post(
        reverse("intake:on_call"), {"on_call": cast.other_advocate.pk}
    )
    assert response.status_code == 400
    assert "Charlie" not in client_as("supervisor").get(reverse("intake:on_call")).content.decode()
    assert Agency.objects.get(pk=cast.agency_a.pk).on_call is None


# The lethality screen on the referral form.

SCREEN_IN = {"lethality-q2": "yes", "lethality-worries": "He has a new gun."}


def screen_fields(**answers) -> dict:
    """The referral form's screen fields: every question "no" unless given."""
    fields = {f"lethality-q{n}": "no" for n in range(1, 12)}
    return fields | {f"lethality-{name}": value for name, value in answers.items()}


def test_a_screened_in_screen_makes_the_referral_urgent_and_is_recorded_with_it(
    client_as, cast, on_call, new_audit_events, smtp_inbox, django_capture_on_commit_callbacks
):
    from haven.cases.models import Task
    from haven.lethality.models import LethalityScreen, Outcome, ScreenedBy
    from haven.lethality.services import HOTLINE_TASK_TITLE

    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = refer(client, urgent="", **screen_fields(q2="yes", worries="He has a new gun."))

    assert response.status_code == 302
    case = the_referral()
    assert case.priority == Priority.HIGH
    assert "HIGH DANGER: the officer's lethality screen screened in" in case.narrative
    assert "URGENT" not in case.narrative
    screen = LethalityScreen.objects.get(case=case)
    assert screen.by_role == ScreenedBy.OFFICER and screen.screened_by == cast.officer
    assert screen.answers == ["no", "yes"] + ["no"] * 9
    assert screen.outcome == Outcome.PROTOCOL and screen.worries == "He has a new gun."
    task = Task.objects.get(case=case, title=HOTLINE_TASK_TITLE)
    assert screen.hotline_task == task
    assert task.assignee == on_call and task.created_by == cast.officer
    assert case.events.filter(kind="lethality_screen", actor=cast.officer).exists()
    assert not case.events.filter(kind="priority_changed").exists()  # opened high already

    events = [
        e for e in new_audit_events(agency_id=cast.agency_a.pk) if e.action != AuditAction.SIGN_IN
    ]
    assert [e.action for e in events[:7]] == [
        AuditAction.PERSON_CREATE,
        AuditAction.CONTACT_POINT_ADD,
        AuditAction.CONTACT_POINT_ADD,
        AuditAction.CASE_CREATE,
        AuditAction.TASK_ADD,
        AuditAction.LETHALITY_SCREEN,
        AuditAction.SCENE_REFERRAL,
    ]
    assert {(e.actor_label, e.role) for e in events[:7]} == {("oscar", Role.OFFICER)}
    assert events[6].details["lethality_screen"] == screen.pk
    assert events[6].details["urgent"] is False and events[6].details["priority"] == "high"
    assert not any("gun" in str(e.details) for e in events)

    subjects = sorted(message["Subject"] for _to, message in smtp_inbox.messages)
    assert subjects == [
        f"High danger: lethality screen on case {case.number}",
        f"New officer referral: case {case.number}, HIGH priority",
    ]
    assert all(to == ["alice@riverside.example"] for to, _message in smtp_inbox.messages)

    page = client.get(response.url).content.decode()
    assert "High danger: follow the protocol now" in page
    assert "Call the domestic violence hotline now" in page
    assert "gun" not in page and "Tamara" not in page
    # The officer still reads neither the case nor the screen.
    assert client.get(reverse("lethality:screen_detail", args=[screen.pk])).status_code == 403
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 403


def test_a_screen_that_does_not_screen_in_leaves_the_referral_as_it_was(
    client_as, cast, on_call, django_capture_on_commit_callbacks
):
    from haven.lethality.models import LethalityScreen, Outcome

    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = refer(client, urgent="", **screen_fields(q4="yes", q5="yes", q6="yes"))

    assert response.status_code == 302
    case = the_referral()
    assert case.priority == Priority.NORMAL and "HIGH DANGER" not in case.narrative
    assert LethalityScreen.objects.get(case=case).outcome == Outcome.NOT_SCREENED_IN
    assert not case.tasks.exists()
    assert len(callbacks) == 1  # the referral's alert only
    page = client.get(response.url).content.decode()
    assert "Lethality screen recorded: it did not screen in." in page
    assert "follow the protocol" not in page


def test_the_officers_belief_screens_in_when_the_victim_declined_and_the_hotline_was_reached(
    client_as, cast, on_call
):
    from haven.lethality.models import LethalityScreen, Outcome

    client = client_as("officer")
    response = refer(
        client,
        urgent="",
        **{
            "lethality-declined": "on",
            "lethality-officer_belief": "on",
            "lethality-hotline_called": "on",
            "lethality-victim_spoke_with_hotline": "yes",
        },
    )

    assert response.status_code == 302
    case = the_referral()
    screen = LethalityScreen.objects.get(case=case)
    assert screen.outcome == Outcome.BELIEF and not screen.victim_answered
    assert screen.answers == ["not_answered"] * 11
    assert screen.hotline_called and screen.victim_spoke_with_hotline == "yes"
    assert case.priority == Priority.HIGH and not case.tasks.exists()
    page = client.get(response.url).content.decode()
    assert "You recorded that the victim spoke with the hotline." in page


def test_an_untouched_screen_section_records_no_screen(client_as, cast):
    from haven.lethality.models import LethalityScreen

    # What the browser sends for the closed section: its default radios.
    defaults = {f"lethality-q{n}": "not_answered" for n in range(1, 12)}
    response = refer(
        client_as("officer"), **defaults, **{"lethality-victim_spoke_with_hotline": "unknown"}
    )

    assert response.status_code == 302
    assert not LethalityScreen.objects.exists()


def test_a_screen_that_does_not_fit_keeps_the_referral_from_opening(client_as, cast, row_counts):
    from haven.lethality.models import LethalityScreen

    client = client_as("officer")
    before = row_counts()
    response = refer(client, **screen_fields(q1="yes", declined="on"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "The victim declined to answer: leave every question as not answered" in page
    assert '<details class="margin-top-4" open>' in page
    assert 'value="Tamara"' in page
    assert row_counts() == before and not LethalityScreen.objects.exists()


def test_with_nobody_on_call_the_hotline_task_waits_unassigned_on_the_case(cast):
    from haven.lethality.services import HOTLINE_TASK_TITLE
    from haven.lethality.testing import HIGH_DANGER, screen_answers

    case = officer_referral_open(
        actor=cast.actor("officer"),
        victim=victim(),
        victimizations=["domestic_violence"],
        consent="yes",
        lethality=screen_answers(answers=HIGH_DANGER),
    )

    assert case.assigned_to is None and case.priority == Priority.HIGH
    task = case.tasks.get(title=HOTLINE_TASK_TITLE)
    assert task.assignee is None and task.created_by == cast.officer


def test_the_form_offers_the_screen_in_a_disclosure_with_the_eleven_questions(client_as, cast):
    page = client_as("officer").get(reverse("intake:scene_referral")).content.decode()

    assert "Lethality screen (intimate-partner violence)</summary>" in page
    assert '<details class="margin-top-4">' in page  # closed until used
    assert page.count('value="not_answered" checked') == 11
    assert 'name="lethality-q11"' in page and 'name="lethality-worries"' in page
    assert page.index("Lethality screen") < page.index("Send referral")


def test_the_old_scene_referral_addresses_redirect_to_the_new_ones(client_as, cast, on_call):
    client = client_as("officer")
    assert reverse("intake:scene_referral") == "/refer/"
    opened = client.get("/referrals/new/?from=card")
    assert (opened.status_code, opened.url) == (302, "/refer/?from=card")
    assert client.get("/referrals/received/").url == "/refer/received/"
    # A form opened before the move and sent after it is still taken, once.
    posted = client.post("/referrals/new/", FORM, follow=True)
    assert posted.redirect_chain == [("/refer/received/", 302)]
    assert "Referral received" in posted.content.decode()
    assert (
        Case.objects.filter(primary_victim__last_name_index=last_name_index("Quintero")).count()
        == 1
    )
    # ... by officers only, as at the new address.
    refused = client_as("analyst").post("/referrals/new/", FORM)
    assert refused.status_code == 403
    assert (
        Case.objects.filter(primary_victim__last_name_index=last_name_index("Quintero")).count()
        == 1
    )
    # /referrals/ itself stays the partner referrals' list (specialists only).
    assert client.get("/referrals/").status_code == 403
    assert reverse("referrals:waiting") == "/referrals/"
