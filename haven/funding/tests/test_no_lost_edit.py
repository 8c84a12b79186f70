"""Two coordinators edit one funding source at once: the second save is refused, the first
stays."""

from datetime import date

from django.urls import reverse

from haven.core.tests.edit_race import assert_conflict_page, race, second_coordinator, signed_in
from haven.funding.services import funding_source_save


def test_the_second_save_of_a_funding_source_gets_the_conflict_page(cast, cora):
    source = funding_source_save(
        actor=cora,
        name="VOCA",
        kind="voca",
        period_start=date(2025, 10, 1),
        period_end=date(2026, 9, 30),
    )
    url = reverse("funding:source_edit", args=[source.pk])

    one, two = race(
        url,
        signed_in(cast.coordinator),
        signed_in(second_coordinator(cast)),
        {"award_number": "15POVC-25-GG-00123"},
        {"name": "VOCA 2026"},
    )

    assert one.status_code == 302
    assert_conflict_page(two, "VOCA 2026", "15POVC-25-GG-00123", "Differs")
    source.refresh_from_db()
    assert (source.name, source.award_number) == ("VOCA", "15POVC-25-GG-00123")
    assert source.version == 2
