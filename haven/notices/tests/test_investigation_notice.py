"""The "investigation status changed" message: held for the specialist's review by default for
domestic violence, off by default otherwise, sent by itself only when the agency says so; plain
text in the victim's language, with the status only in the email and no crime details."""

from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from haven.audit.models import AuditAction
from haven.cases.models import Task
from haven.notices.investigation import message_release, on_investigation_status
from haven.notices.models import Message, MessageStatus, UpdateMode
from haven.notices.render import render
from haven.notices.services import message_cancel, notice_settings, notice_settings_update

pytestmark = pytest.mark.django_db

WORDS = {
    "en": ("an arrest has been made", "there is an update on your police report"),
    "es": ("se ha realizado un arresto", "hay novedades sobre su denuncia policial"),
    "pl": ("dokonano zatrzymania", "jest nowa informacja o Pani/Pana zgłoszeniu"),
    "zh": ("已实施逮捕", "您的报案有新进展"),
    "ar": ("تم إلقاء القبض على شخص", "توجد مستجدات بشأن بلاغك لدى الشرطة"),
}


def tell(case, *, dv=True, status="arrest", key="1"):
    return on_investigation_status(case.pk, status=status, domestic_violence=dv, key=key)


def test_the_defaults_hold_domestic_violence_and_send_nothing_otherwise(cast):
    config = notice_settings(cast.agency_a)
    assert (config.investigation_status_dv, config.investigation_status_other) == (
        UpdateMode.HELD,
        UpdateMode.OFF,
    )
    assert tell(cast.case_a, dv=False) == []


def test_a_held_message_waits_for_the_specialist_then_goes_out(
    cast, alice, with_email, with_text, new_audit_events, django_capture_on_commit_callbacks
):
    made = tell(cast.case_a)

    assert sorted(m.channel for m in made) == ["email", "sms"]
    assert {m.status for m in made} == {MessageStatus.HELD}
    [task] = Task.objects.filter(case=cast.case_a, title__startswith="Review the held message")
    assert {m.task_id for m in Message.objects.filter(pk__in=[m.pk for m in made])} == {task.pk}
    assert set(tell(cast.case_a)) == set(made)  # the same change is never held twice

    email = next(m for m in made if m.channel == "email")
    with django_capture_on_commit_callbacks(execute=True):
        message_release(actor=alice, message=email)
    email.refresh_from_db()
    assert email.status in (MessageStatus.QUEUED, MessageStatus.SENT)  # the worker took it
    assert [e.action for e in new_audit_events(action=AuditAction.NOTICE_RELEASE)] == [
        AuditAction.NOTICE_RELEASE
    ]
    task.refresh_from_db()
    assert task.completed_at is None  # the text is still held
    text = next(m for m in made if m.channel == "sms")
    message_cancel(actor=alice, message=text)
    with pytest.raises(ValidationError):
        message_release(actor=alice, message=text)


def test_the_agency_can_send_it_automatically_or_switch_it_off(cast, cora, with_text):
    notice_settings_update(actor=cora, investigation_status_dv=UpdateMode.SEND)
    [sent] = tell(cast.case_a, key="2")
    assert sent.status == MessageStatus.QUEUED
    notice_settings_update(actor=cora, investigation_status_dv=UpdateMode.OFF)
    assert tell(cast.case_a, key="3") == []


@pytest.mark.parametrize("language", sorted(WORDS))
def test_the_text_is_plain_in_five_languages_and_only_the_email_says_the_status(language):
    out = render(
        key="investigation_status",
        language=language,
        facts={"status": "arrest"},
        tz=ZoneInfo("America/Chicago"),
        extra={"name": "Dana", "agency": "Riverside", "specialist": "Alice Avery"},
    )
    said, sms = WORDS[language]
    assert not out.fell_back
    assert said in out.body and "Dana" in out.body
    assert sms in out.sms and said not in out.sms
    assert "<" not in out.body + out.sms  # plain text


def test_the_send_button_on_the_case_page(cast, client_as, with_email):
    [held] = tell(cast.case_a)
    client = client_as("advocate")

    page = client.get(reverse("cases:panel", args=[cast.case_a.pk, "messages"])).content.decode()
    assert "Held for review" in page and reverse("notices:release", args=[held.pk]) in page

    answer = client.post(reverse("notices:release", args=[held.pk]))
    assert answer.status_code == 302
    held.refresh_from_db()
    assert held.status in (MessageStatus.QUEUED, MessageStatus.SENT)
    assert client_as("other_advocate").post(
        reverse("notices:release", args=[held.pk])
    ).status_code in (403, 404)
