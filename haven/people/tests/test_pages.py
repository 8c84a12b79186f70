import pytest
from django.urls import reverse

from haven.audit.models import AuditAction, AuditEvent
from haven.people.models import ContactPoint

pytestmark = pytest.mark.django_db


def test_the_person_page_shows_contact_points_with_their_safety_rules(client_as, cast):
    response = client_as("advocate").get(reverse("people:detail", args=[cast.victim_a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "(312) 555-0142" in page and "Voicemail OK" in page and "Texts not safe" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.PERSON_VIEW, object_id=str(cast.victim_a.pk)
    ).exists()


def test_adding_a_safe_phone_with_safe_hours(client_as, cast):
    response = client_as("advocate").post(
        reverse("people:contact_point_create", args=[cast.victim_a.pk]),
        {
            "kind": "phone",
            "value": "773-555-0199",
            "label": "sister",
            "ok_to_contact": "on",
            "ok_text": "on",
            "safe_from": "09:00",
            "safe_until": "17:00",
            "safety_note": "Partner home evenings",
        },
    )
    assert response.status_code == 302
    point = ContactPoint.objects.get(person=cast.victim_a, label="sister")
    assert point.value == "+17735550199" and point.ok_text and not point.ok_voicemail
    assert point.safety_note == "Partner home evenings"


def test_a_bad_phone_number_says_what_to_fix(client_as, cast):
    response = client_as("advocate").post(
        reverse("people:contact_point_create", args=[cast.victim_a.pk]),
        {"kind": "phone", "value": "555", "ok_to_contact": "on"},
    )
    assert response.status_code == 400
    assert "area code" in response.content.decode()
    assert ContactPoint.objects.filter(person=cast.victim_a).count() == 1


def test_another_agency_cannot_add_contact_points(client_as, cast):
    response = client_as("other_advocate").post(
        reverse("people:contact_point_create", args=[cast.victim_a.pk]),
        {"kind": "phone", "value": "773-555-0199", "ok_to_contact": "on"},
    )
    assert response.status_code == 404
    assert ContactPoint.objects.filter(person=cast.victim_a).count() == 1


def test_finding_a_person_by_phone_in_another_format(client_as, cast):
    response = client_as("advocate").get(reverse("people:search"), {"phone": "+1 312 555 0142"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 match" in page and reverse("people:detail", args=[cast.victim_a.pk]) in page


def test_a_search_with_nothing_to_match_says_what_to_enter(client_as, cast):
    response = client_as("advocate").get(reverse("people:search"), {"first_name": "Dana"})
    assert response.status_code == 400
    assert "date of birth" in response.content.decode()


def test_another_agency_finds_nobody(client_as, cast):
    response = client_as("other_advocate").get(reverse("people:search"), {"phone": "3125550142"})
    page = response.content.decode()
    assert "Dana" not in page
