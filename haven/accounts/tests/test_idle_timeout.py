"""A shared desk: a session idle for SESSION_COOKIE_AGE is over, while one in use is written at
most once a minute (not on every request)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

pytestmark = pytest.mark.django_db


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_in_use_is_written_at_most_once_a_minute(clock, client_as):
    client = client_as("advocate")
    assert client.get(reverse("cases:caseload")).status_code == 200
    first = expiry(client)

    clock.shift(timedelta(seconds=30))
    assert client.get(reverse("cases:caseload")).status_code == 200
    assert expiry(client) == first  # no write within the minute

    clock.shift(timedelta(seconds=31))
    assert client.get(reverse("cases:caseload")).status_code == 200
    assert expiry(client) > first + timedelta(seconds=60)


def test_a_session_kept_in_use_outlives_the_idle_timeout(clock, client_as):
    client = client_as("advocate")
    for _ in range(settings.SESSION_COOKIE_AGE // 600 + 2):  # past the timeout, in 10-minute steps
        clock.shift(timedelta(minutes=10))
        assert client.get(reverse("cases:caseload")).status_code == 200


def test_an_idle_session_ends_after_the_timeout(clock, client_as):
    client = client_as("advocate")
    assert client.get(reverse("cases:caseload")).status_code == 200

    clock.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    response = client.get(reverse("cases:caseload"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
