"""Two coordinators write the help page's text in one language at once, the first before any
was saved, then again: the second save is refused each time, the first stays."""

from django.urls import reverse

from haven.core.tests.edit_race import assert_conflict_page, race, second_coordinator, signed_in
from haven.public.models import HelpPageText


def test_the_second_save_of_the_help_page_text_gets_the_conflict_page(cast):
    url = reverse("public:text_es")
    cora, cole = signed_in(cast.coordinator), signed_in(second_coordinator(cast))

    one, two = race(url, cora, cole, {"about": "Somos la unidad."}, {"reach": "Calle 1."})

    assert one.status_code == 302
    assert_conflict_page(two, "How to reach us", "Calle 1.", "Somos la unidad.", "Differs")
    text = HelpPageText.objects.get(agency=cast.agency_a, language="es")
    assert (text.about, text.reach, text.version) == ("Somos la unidad.", "", 2)

    one, two = race(url, cora, cole, {"reach": "Calle 2."}, {"about": "Otra cosa."})

    assert one.status_code == 302
    assert_conflict_page(two, "Otra cosa.", "Calle 2.")
    text.refresh_from_db()
    assert (text.about, text.reach, text.version) == ("Somos la unidad.", "Calle 2.", 3)
