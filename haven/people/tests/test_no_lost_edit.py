"""Two people edit one person at once: the second save is refused, nothing is overwritten."""

import pytest
from django.urls import reverse

from haven.audit.models import AuditAction, AuditEvent
from haven.core.tests.edit_race import assert_conflict_page, race, signed_in
from haven.core.versions import StaleEdit
from haven.people.services import person_update


def test_the_second_save_of_a_person_gets_the_conflict_page_and_the_first_stays(cast):
    url = reverse("people:edit", args=[cast.victim_a.pk])
    alice, sam = signed_in(cast.advocate), signed_in(cast.supervisor)

    one, two = race(url, alice, sam, {"preferred_name": "Dee"}, {"preferred_name": "Dina"})

    assert one.status_code == 302
    page = assert_conflict_page(two, "Preferred name", "Dina", "Dee", "Differs")
    assert page.index("Dina") < page.index("Dee")  # theirs first, then what is saved
    assert 'name="preferred_name" value="Dina"' in page  # kept, to save over knowingly
    cast.victim_a.refresh_from_db()
    assert (cast.victim_a.preferred_name, cast.victim_a.version) == ("Dee", 2)
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_UPDATE).count() == 1


def test_saving_mine_over_the_newer_version_from_the_conflict_page(cast):
    url = reverse("people:edit", args=[cast.victim_a.pk])
    alice, sam = signed_in(cast.advocate), signed_in(cast.supervisor)
    race(url, alice, sam, {"preferred_name": "Dee"}, {"preferred_name": "Dina"})

    # the conflict page posts the kept input again, with the version it showed
    again = sam.post(
        url,
        {
            "first_name": cast.victim_a.first_name,
            "last_name": cast.victim_a.last_name,
            "preferred_name": "Dina",
            "preferred_language": "en",
            "race_ethnicity": "not_reported",
            "gender_identity": "not_reported",
            "version": "2",
        },
    )

    assert again.status_code == 302
    cast.victim_a.refresh_from_db()
    assert (cast.victim_a.preferred_name, cast.victim_a.version) == ("Dina", 3)


def test_the_service_refuses_a_stale_version_and_writes_nothing(cast, alice, sam):
    person = cast.victim_a
    person_update(actor=alice, person=person, preferred_name="Dee", version=1)

    with pytest.raises(StaleEdit) as refused:
        person_update(actor=sam, person=person, preferred_name="Dina", version=1)

    assert refused.value.current.preferred_name == "Dee"
    person.refresh_from_db()
    assert (person.preferred_name, person.version) == ("Dee", 2)
