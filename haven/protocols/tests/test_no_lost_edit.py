"""Two coordinators edit one protocol template at once: the second save is refused, the
first stays (its steps included)."""

from django.urls import reverse

from haven.core.tests.edit_race import assert_conflict_page, race, second_coordinator, signed_in
from haven.protocols.services import protocol_templates_start


def test_the_second_save_of_a_protocol_gets_the_conflict_page_and_the_first_stays(cast, cora):
    template = protocol_templates_start(actor=cora)[0]
    url = reverse("protocols:edit", args=[template.pk])
    first_title = template.steps.first().title

    one, two = race(
        url,
        signed_in(cast.coordinator),
        signed_in(second_coordinator(cast)),
        {"description": "Reviewed in December."},
        {"steps-0-title": "Call the family first"},
    )

    assert one.status_code == 302
    assert_conflict_page(two, "Steps", "Call the family first", first_title, "Differs")
    template.refresh_from_db()
    assert (template.description, template.version) == ("Reviewed in December.", 2)
    assert template.steps.first().title == first_title
