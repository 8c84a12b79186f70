"""The satisfaction survey: offered at closure over the victim's safe channel, answered once
through an anonymous link, in the person's language, kept apart from the person."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.audit.models import AuditAction, AuditEvent
from haven.cases.models import CaseEvent, CaseEventKind
from haven.cases.services import case_change_status, case_closure_review
from haven.notices.models import Message
from haven.people.services import person_update
from haven.reports.models import SurveyInvitation, SurveyResponse
from haven.reports.services import survey_invite


@pytest.fixture
def close(django_capture_on_commit_callbacks, sam):
    def closing(case, reason="goals_met"):
        with django_capture_on_commit_callbacks(execute=True):
            case_change_status(actor=sam, case=case, status="closed", close_reason=reason)
        return SurveyInvitation.objects.filter(case=case).first()

    return closing


def token_of(invitation):
    [message] = Message.objects.filter(dedupe_key=f"survey:{invitation.pk}")[:1]
    # Only the (encrypted) body holds the link: the row keeps neither it nor its secret.
    assert "link" not in message.facts
    return re.search(r"/s/([\w-]+)/", message.body).group(1)


def test_closing_a_case_offers_the_survey_in_the_persons_language(
    cast, sam, close, new_audit_events
):
    person_update(actor=sam, person=cast.victim_a, preferred_language="es")

    invitation = close(cast.case_a)

    assert invitation.language == "es" and invitation.kind == "closure"
    messages = Message.objects.filter(dedupe_key=f"survey:{invitation.pk}")
    assert messages and all(m.template == "survey_invitation" for m in messages)
    token = token_of(invitation)
    assert len(token) > 30 and token not in invitation.token_hash
    assert CaseEvent.objects.filter(case=cast.case_a, kind=CaseEventKind.SURVEY).exists()
    assert new_audit_events(action=AuditAction.SURVEY_INVITE)


def test_no_survey_after_the_victim_died_or_was_lost(cast, close):
    assert close(cast.case_a, reason="deceased") is None
    assert not Message.objects.filter(template="survey_invitation").exists()


def test_a_survey_is_offered_once_per_case_and_kind(cast, sam, close):
    first = close(cast.case_a)
    assert survey_invite(actor=sam, case=cast.case_a) is None
    assert SurveyInvitation.objects.filter(case=cast.case_a).count() == 1
    assert first is not None


def test_the_link_shows_the_questions_in_the_persons_language(cast, sam, client, close):
    person_update(actor=sam, person=cast.victim_a, preferred_language="ar")
    token = token_of(close(cast.case_a))

    response = client.get(reverse("reports:survey", args=[token]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in html and "ما مدى رضاك" in html
    assert "Dana" not in html and cast.case_a.number not in html
    assert response["Referrer-Policy"] == "same-origin"


def test_an_answer_keeps_no_link_to_the_person_and_the_link_works_once(cast, client, close):
    invitation = close(cast.case_a)
    token = token_of(invitation)
    url = reverse("reports:survey", args=[token])

    response = client.post(
        url, {"overall": "4", "respected": "yes", "informed": "partly", "comment": "Kind people."}
    )

    assert response.status_code == 200
    [answer] = SurveyResponse.objects.filter(agency=cast.agency_a)
    assert (answer.overall, answer.respected, answer.informed, answer.knows_help) == (
        4,
        "yes",
        "partly",
        "",
    )
    assert answer.district_id == cast.district_a.pk
    assert answer.specialist_id == cast.advocate.pk
    assert answer.victimization == "domestic_violence"
    assert answer.month == timezone.now().astimezone(cast.agency_a.tz).date().replace(day=1)
    invitation.refresh_from_db()
    assert invitation.used_on is not None
    # Nothing ties the answer to the invitation, the case or the person.
    related = {f.related_model for f in SurveyResponse._meta.get_fields() if f.is_relation}
    assert {SurveyInvitation, type(cast.case_a), type(cast.victim_a)}.isdisjoint(related)
    [event] = AuditEvent.objects.filter(action=AuditAction.SURVEY_ANSWER)
    assert event.object_id == "" and event.actor_label == "survey link"

    again = client.post(url, {"overall": "1"})
    assert again.status_code == 410
    assert SurveyResponse.objects.filter(agency=cast.agency_a).count() == 1


def test_the_first_question_is_required_and_others_may_be_skipped(cast, client, close):
    url = reverse("reports:survey", args=[token_of(close(cast.case_a))])

    response = client.post(url, {"respected": "yes"})

    # The form again, with its error; a 200, so no log line carries the link's secret.
    assert response.status_code == 200 and 'role="alert"' in response.text
    assert not SurveyResponse.objects.exists()
    assert client.post(url, {"overall": "5"}).status_code == 200
    assert SurveyResponse.objects.get().respected == ""


def test_unknown_and_expired_links_show_nothing(cast, client, close):
    invitation = close(cast.case_a)
    assert client.get(reverse("reports:survey", args=["nope" * 10])).status_code == 404
    SurveyInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    response = client.post(reverse("reports:survey", args=[token_of(invitation)]), {"overall": "5"})
    assert response.status_code == 410
    assert not SurveyResponse.objects.exists()


def test_the_dashboard_counts_answers_but_never_shows_their_words(cast, client, client_as, close):
    url = reverse("reports:survey", args=[token_of(close(cast.case_a))])
    client.post(url, {"overall": "5", "comment": "My advocate Alice was wonderful."})

    response = client_as("analyst").get(reverse("reports:dashboard"))

    assert "wonderful" not in response.content.decode()
    assert response.context["dash"].satisfaction_answers.text == "fewer than 5"


def test_the_mid_case_survey_goes_to_active_cases_when_the_agency_asks(cast, sam, cora):
    from haven.cases.services import contact_log
    from haven.reports.services import report_goals_save, surveys_midcase

    contact_log(
        actor=sam,
        case=cast.case_a,
        outcome="completed",
        channel="phone",
        direction="outbound",
        occurred_at=timezone.now(),
    )
    assert surveys_midcase(agency=cast.agency_a) == 0  # off by default

    report_goals_save(
        actor=cora,
        first_contact_hours=24,
        resolution_days=15,
        satisfaction_percent=90,
        midcase_survey_days=10,
    )
    assert surveys_midcase(agency=cast.agency_a) == 0  # received 3 hours ago
    later = timezone.now() + timedelta(days=11)
    assert surveys_midcase(agency=cast.agency_a, now=later) == 1
    assert surveys_midcase(agency=cast.agency_a, now=later) == 0
    assert SurveyInvitation.objects.get(case=cast.case_a).kind == "midcase"


def test_no_survey_while_the_closing_waits_for_review_and_one_once_it_is_approved(
    cast, alice, sam, django_capture_on_commit_callbacks
):
    cast.agency_a.closure_review_required = True
    cast.agency_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        case_change_status(actor=alice, case=cast.case_a, status="closed", close_reason="goals_met")
    assert not SurveyInvitation.objects.filter(case=cast.case_a).exists()
    assert not Message.objects.filter(template="survey_invitation").exists()

    with django_capture_on_commit_callbacks(execute=True):
        case_closure_review(actor=sam, case=cast.case_a, approve=True)

    invitation = SurveyInvitation.objects.get(case=cast.case_a)
    assert Message.objects.filter(dedupe_key=f"survey:{invitation.pk}").exists()


def test_no_survey_when_the_supervisor_returns_the_closing(
    cast, alice, sam, django_capture_on_commit_callbacks
):
    cast.agency_a.closure_review_required = True
    cast.agency_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        case_change_status(actor=alice, case=cast.case_a, status="closed", close_reason="goals_met")
        case_closure_review(actor=sam, case=cast.case_a, approve=False, note="Call the DA first.")
    assert not SurveyInvitation.objects.filter(case=cast.case_a).exists()


def test_the_survey_link_in_the_message_is_absolute_even_without_haven_site_url(cast, close):
    invitation = close(cast.case_a)
    [message] = Message.objects.filter(dedupe_key=f"survey:{invitation.pk}")[:1]
    assert re.search(r"https?://[^/\s]+/s/[\w-]+/", message.body)
    assert not re.search(r"(?<![\w/:.])/s/[\w-]+/", message.body)
