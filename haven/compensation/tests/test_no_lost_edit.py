"""Two people edit one compensation claim at once: the second save is refused, the first
stays."""

from django.urls import reverse

from haven.audit.models import AuditAction, AuditEvent
from haven.core.tests.edit_race import assert_conflict_page, race, signed_in


def test_the_second_save_of_a_claim_gets_the_conflict_page_and_the_first_stays(cast, claim):
    url = reverse("compensation:claim_edit", args=[claim.pk])
    alice, sam = signed_in(cast.advocate), signed_in(cast.supervisor)

    one, two = race(
        url, alice, sam, {"police_agency": "Riverside PD, 3rd"}, {"state_claim_number": "C-77"}
    )

    assert one.status_code == 302
    assert_conflict_page(two, "Reported to (agency)", "Riverside PD, 3rd", "C-77", "Differs")
    claim.refresh_from_db()
    assert (claim.police_agency, claim.state_claim_number) == ("Riverside PD, 3rd", "")
    assert claim.version == 2
    assert AuditEvent.objects.filter(action=AuditAction.COMPENSATION_UPDATE).count() == 1
