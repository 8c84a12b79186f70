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


def test_editing_a_persons_details_and_demographics(client_as, cast):
    client = client_as("advocate")
    url = reverse("people:edit", args=[cast.victim_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "first_name": "Dana",
            "last_name": "Reyes",
            "preferred_name": "Dee",
            "date_of_birth": "1990-04-02",
            "preferred_language": "es",
            "interpreter_needed": "on",
            "race_ethnicity": "hispanic",
            "gender_identity": "female",
            "special_classifications": ["lep"],
        },
    )
    assert response.status_code == 302
    cast.victim_a.refresh_from_db()
    assert cast.victim_a.preferred_name == "Dee" and cast.victim_a.preferred_language == "es"
    assert cast.victim_a.special_classifications == ["lep"]
    event = AuditEvent.objects.filter(action=AuditAction.PERSON_UPDATE).latest("id")
    assert "preferred_language" in event.details["fields"]
    assert "Dee" not in str(event.details) and "1990" not in str(event.details)


def test_officers_cannot_edit_people(client_as, cast):
    response = client_as("officer").get(reverse("people:edit", args=[cast.victim_a.pk]))
    assert response.status_code in (403, 404)
