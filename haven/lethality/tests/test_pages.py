"""The lethality pages for each role: the case page's section, the phone-friendly form, a
screen's answers, its hotline follow-up. Officers, analysts and auditors reach none of them;
another agency's member gets 404."""

import pytest
from django.urls import reverse

from haven.agencies.models import Agency
from haven.audit.models import AuditAction
from haven.cases.models import Case, CaseStatus, Priority, Task
from haven.lethality.models import LethalityScreen, Outcome, SpokeWithHotline
from haven.lethality.scoring import QUESTIONS
from haven.lethality.services import HOTLINE_TASK_TITLE, lethality_screen_record
from haven.lethality.testing import HIGH_DANGER, make_screen, screen_answers

pytestmark = pytest.mark.django_db

WORRIES = "He said he would find me wherever I go."


def form_data(answers, **extra) -> dict:
    data = {f"q{number}": answer for number, answer in enumerate(answers, start=1)}
    return data | {"victim_spoke_with_hotline": "unknown"} | extra


def new_url(case) -> str:
    return reverse("lethality:screen_new", args=[case.pk])


# The case page.


def test_the_case_page_lists_the_screens_with_a_high_danger_tag_and_the_link_to_record(
    client_as, cast
):
    make_screen(cast.case_a, screened_by=cast.advocate, officer_belief=True)
    make_screen(
        cast.case_a,
        q1="no",
        outcome=Outcome.NOT_SCREENED_IN,
        victim_spoke_with_hotline=SpokeWithHotline.NO,
    )

    page = client_as("advocate").get(reverse("cases:detail", args=[cast.case_a.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Lethality screen" in body
    assert body.count("High danger</span>") == 1
    assert "Screened in by the protocol" in body and "Did not screen in" in body
    assert "(the screener believed so too)" in body
    assert "the victim did not speak with them" in body
    assert new_url(cast.case_a) in body
    assert WORRIES not in body and "find me" not in body  # the answers are one click away


def test_a_closed_case_shows_its_screens_but_no_link_to_record(client_as, cast):
    make_screen(cast.case_a)
    Case.objects.filter(pk=cast.case_a.pk).update(status=CaseStatus.CLOSED)

    body = client_as("advocate").get(reverse("cases:detail", args=[cast.case_a.pk])).content
    assert b"Screened in by the protocol" in body
    assert new_url(cast.case_a).encode() not in body


# Recording a screen.


def test_the_form_asks_the_eleven_questions_in_order_and_the_open_question(client_as, cast):
    response = client_as("advocate").get(new_url(cast.case_a))
    body = response.content.decode()

    assert response.status_code == 200
    positions = [body.index(question.replace("'", "&#x27;")) for question in QUESTIONS]
    assert positions == sorted(positions)
    assert "Is there anything else that worries you about your safety?" in body
    assert body.count('value="not_answered" checked') == 11
    assert "The victim declined to answer" in body
    assert "I believe the victim is in a potentially lethal situation" in body
    assert 'autocomplete="off"' in body


def test_a_specialist_records_a_high_danger_screen_from_the_case_page(
    client_as, cast, django_capture_on_commit_callbacks
):
    client = client_as("advocate")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            new_url(cast.case_a),
            form_data(HIGH_DANGER, worries=WORRIES, officer_belief="on"),
        )

    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[cast.case_a.pk])
    screen = LethalityScreen.objects.get(case=cast.case_a)
    assert screen.answers == HIGH_DANGER and screen.outcome == Outcome.PROTOCOL
    assert screen.officer_belief and screen.worries == WORRIES
    assert screen.screened_by == cast.advocate
    assert Case.objects.get(pk=cast.case_a.pk).priority == Priority.HIGH
    assert Task.objects.filter(case=cast.case_a, title=HOTLINE_TASK_TITLE).exists()
    assert len(callbacks) == 1

    page = client.get(response.url).content.decode()
    assert "High danger: screened in by the protocol. The case is now high priority" in page
    assert (
        "<strong>Lethality screen recorded</strong> — High danger: screened in by the protocol"
        in page
    )


def test_unanswered_radios_count_as_not_answered(client_as, cast):
    response = client_as("advocate").post(new_url(cast.case_a), {"q2": "no"})

    assert response.status_code == 302
    screen = LethalityScreen.objects.get(case=cast.case_a)
    assert screen.answers == ["not_answered", "no"] + ["not_answered"] * 9
    assert screen.outcome == Outcome.NOT_SCREENED_IN
    assert screen.victim_spoke_with_hotline == SpokeWithHotline.UNKNOWN


def test_declined_with_answers_is_shown_beside_the_checkbox_and_nothing_is_saved(
    client_as, cast, row_counts
):
    client = client_as("advocate")
    before = row_counts()
    response = client.post(
        new_url(cast.case_a), form_data(HIGH_DANGER, declined="on", worries=WORRIES)
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "The victim declined to answer: leave every question as not answered" in body
    assert WORRIES in body  # what was typed is still there
    assert row_counts() == before and not LethalityScreen.objects.exists()


def test_a_closed_case_refuses_a_screen_on_the_form(client_as, cast):
    Case.objects.filter(pk=cast.case_a.pk).update(status=CaseStatus.CLOSED)
    response = client_as("advocate").post(new_url(cast.case_a), form_data(HIGH_DANGER))

    assert response.status_code == 400
    assert "This case is closed" in response.content.decode()
    assert not LethalityScreen.objects.exists()


# Reading a screen and its follow-up.


def test_a_screen_shows_every_answer_and_the_victims_words_and_the_read_is_audited(
    client_as, cast, new_audit_events
):
    screen = make_screen(cast.case_a, q2="no", q5="yes")
    response = client_as("supervisor").get(reverse("lethality:screen_detail", args=[screen.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "He said he would find me." in body
    assert "5. Has he/she ever tried to choke (strangle) you?<br><strong>Yes</strong>" in body
    assert "2. Has he/she threatened to kill you or your children?<br><strong>No</strong>" in body
    assert "Record the follow-up" in body
    event = new_audit_events(action=AuditAction.LETHALITY_VIEW)[0]
    assert event.actor_label == "sam" and event.object_id == str(screen.pk)


def test_the_hotline_follow_up_is_recorded_from_the_screens_page(client_as, cast):
    screen = lethality_screen_record(
        actor=cast.actor("advocate"), case=cast.case_a, screen=screen_answers(answers=HIGH_DANGER)
    )
    response = client_as("advocate").post(
        reverse("lethality:hotline_record", args=[screen.pk]),
        {"hotline_called": "on", "victim_spoke_with_hotline": "yes"},
    )

    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[cast.case_a.pk])
    screen.refresh_from_db()
    assert screen.hotline_called and screen.victim_spoke_with_hotline == SpokeWithHotline.YES
    assert screen.hotline_task.completed_at is not None


def test_a_bad_follow_up_is_shown_on_the_page_and_nothing_changes(client_as, cast):
    screen = make_screen(cast.case_a)
    response = client_as("advocate").post(
        reverse("lethality:hotline_record", args=[screen.pk]),
        {"victim_spoke_with_hotline": "yes", "reason_not_spoke": "busy"},
    )

    assert response.status_code == 400
    assert "leave the reason empty" in response.content.decode()
    screen.refresh_from_db()
    assert screen.victim_spoke_with_hotline == SpokeWithHotline.UNKNOWN


# Who may not.


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_officers_analysts_and_auditors_reach_no_screen_page(client_as, cast, role, row_counts):
    screen = make_screen(cast.case_a)
    client = client_as(role)
    before = row_counts()

    assert client.get(new_url(cast.case_a)).status_code == 403
    assert client.post(new_url(cast.case_a), form_data(HIGH_DANGER)).status_code == 403
    detail = client.get(reverse("lethality:screen_detail", args=[screen.pk]))
    assert detail.status_code == 403 and b"find me" not in detail.content
    hotline = reverse("lethality:hotline_record", args=[screen.pk])
    assert client.post(hotline, {"victim_spoke_with_hotline": "yes"}).status_code == 403
    assert row_counts() == before
    assert LethalityScreen.objects.get().victim_spoke_with_hotline == SpokeWithHotline.UNKNOWN


def test_another_agencys_member_gets_404_everywhere(client_as, cast):
    screen = make_screen(cast.case_a)
    client = client_as("other_advocate")

    assert client.get(new_url(cast.case_a)).status_code == 404
    assert client.post(new_url(cast.case_a), form_data(HIGH_DANGER)).status_code == 404
    detail = client.get(reverse("lethality:screen_detail", args=[screen.pk]))
    assert detail.status_code == 404 and b"find me" not in detail.content
    hotline = reverse("lethality:hotline_record", args=[screen.pk])
    assert client.post(hotline, {"victim_spoke_with_hotline": "yes"}).status_code == 404
    assert LethalityScreen.objects.count() == 1
    assert Case.objects.get(pk=cast.case_a.pk).priority == Priority.NORMAL


def test_an_advocate_limited_to_their_caseload_cannot_read_a_colleagues_screen(client_as, cast):
    Agency.objects.filter(pk=cast.agency_a.pk).update(advocates_see_own_caseload_only=True)
    screen = make_screen(cast.case_a)  # Alice's case
    client = client_as("advocate2")

    assert client.get(reverse("lethality:screen_detail", args=[screen.pk])).status_code == 404
    assert client.get(new_url(cast.case_a)).status_code == 404
    assert (
        client_as("advocate").get(reverse("lethality:screen_detail", args=[screen.pk])).status_code
        == 200
    )
