"""A suspended agency (haven.platform) refuses its staff, never a victim's way out: the
opt-out link in a message it sent still stops messages."""

from django.contrib.auth import get_user_model

from haven.notices.models import OptOut
from haven.notices.tests.helpers import link_token
from haven.platform.services import agency_suspend


def test_the_opt_out_link_still_works_when_the_agency_is_suspended(
    client, cast, victim, with_email, queue
):
    email = queue(key="one")[0]
    operator = get_user_model().objects.create_user("olga", "olga@county.gov", is_staff=True)
    agency_suspend(operator=operator, agency=cast.agency_a, reason="contract ended")

    page = client.get(f"/n/{link_token(email)}/")
    response = client.post(f"/n/{link_token(email)}/", {"stop": "channel"})

    assert page.status_code == 200 and response.status_code == 200
    assert "You will not get these messages any more" in response.content.decode()
    assert list(OptOut.objects.values_list("channel", "via")) == [("email", "link")]
