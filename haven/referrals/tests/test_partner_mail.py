"""The email to the partner goes through the staff-alert outbox (issue 17, item 5): a mail
server that is down never answers the specialist with an error, and a refusal shows on the
referral and as a task on the case. Real SMTP (aiosmtpd) or none listening."""

import pytest
from django.urls import reverse

from haven.cases.models import Task
from haven.notices.models import AlertStatus, StaffAlert
from haven.notices.staff_alerts import alerts_send_due
from haven.partners.models import Service


@pytest.fixture
def ready(proposal, release):
    release()
    return proposal()


def test_sending_with_the_mail_server_down_answers_the_page_and_says_the_mail_waits(
    client_as, ready, smtp_down, django_capture_on_commit_callbacks
):
    client = client_as("advocate")
    with django_capture_on_commit_callbacks(execute=True):  # the commit kicks the worker
        response = client.post(reverse("referrals:send", args=[ready.pk]))

    assert response.status_code == 302  # not a 500
    alert = StaffAlert.objects.get(kind="partner_referral")
    assert alert.status == AlertStatus.QUEUED and alert.attempts == 1
    assert alert.destination == "shelter@harbor.example"
    page = client.get(reverse("referrals:detail", args=[ready.pk])).content.decode()
    assert "The email to the partner is waiting to go out" in page
    assert "attempt 1, trying again" in page


def test_a_refused_partner_address_shows_on_the_referral_with_a_task_for_the_specialist(
    client_as, cast, ready, picky_smtp, django_capture_on_commit_callbacks
):
    Service.objects.filter(pk=ready.service_id).update(email="refused@harbor.example")
    client = client_as("advocate")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("referrals:send", args=[ready.pk]))

    alert = StaffAlert.objects.get(kind="partner_referral")
    assert alert.status == AlertStatus.FAILED
    task = Task.objects.get(pk=alert.task_id)
    assert task.assignee == cast.advocate and task.case == cast.case_a
    assert "referral email to the partner" in task.title
    page = client.get(reverse("referrals:detail", args=[ready.pk])).content.decode()
    assert "The email to the partner was <strong>not delivered</strong>" in page
    assert picky_smtp.messages == []


def test_a_delivered_partner_email_says_sent(client_as, ready, picky_smtp):
    client = client_as("advocate")
    client.post(reverse("referrals:send", args=[ready.pk]))
    assert alerts_send_due() == 1

    [(recipients, message)] = picky_smtp.messages
    assert recipients == ["shelter@harbor.example"]
    page = client.get(reverse("referrals:detail", args=[ready.pk])).content.decode()
    assert "Email to the partner sent" in page
