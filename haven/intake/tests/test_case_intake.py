"""The specialist's intake: a new victim and their case, from the new-case page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.people.indexes import last_name_index

pytestmark = pytest.mark.django_db


def local_input(dt):
    """A datetime-local field value in the agency's zone (America/Chicago for agency A)."""
    return (
        timezone.localtime(dt, timezone.get_fixed_timezone(0))
        .astimezone(__import__("zoneinfo").ZoneInfo("America/Chicago"))
        .strftime("%Y-%m-%dT%H:%M")
    )


def test_new_case_intake_without_a_police_report(client_as, cast):
    response = client_as("advocate").post(
        reverse("intake:case_new"),
        {
            "first_name": "Maria",
            "last_name": "Lopez",
            "preferred_language": "es",
            "phone": "773 555 0188",
            "ok_text": "on",
            "source": "hotline",
            "received_at": local_input(timezone.now()),
            "victimizations": ["stalking"],
            "priority": "normal",
        },
    )
    assert response.status_code == 302
    case = cast.case_a.__class__.objects.get(
        primary_victim__last_name_index=last_name_index("Lopez")
    )
    assert case.report_number == "" and case.assigned_to == cast.advocate
    assert case.primary_victim.contact_points.get().value == "+17735550188"


def test_a_bad_phone_on_intake_saves_nothing(client_as, cast):
    from haven.people.models import Person

    before = Person.objects.count()
    response = client_as("advocate").post(
        reverse("intake:case_new"),
        {
            "first_name": "Maria",
            "last_name": "Lopez",
            "preferred_language": "es",
            "phone": "12",
            "source": "hotline",
            "received_at": local_input(timezone.now()),
            "victimizations": ["stalking"],
            "priority": "normal",
        },
    )
    assert response.status_code == 400
    assert "phone number" in response.content.decode()
    assert Person.objects.count() == before
