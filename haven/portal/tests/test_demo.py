"""The demo's status page: offered on a case with a court date ahead, with its sections
released, and visible to the specialist on the case."""

from datetime import timedelta

from django.utils import timezone

from haven.justice import services as justice
from haven.portal import demo
from haven.portal.models import StatusPage
from haven.portal.selectors import status_of


def test_the_demo_offers_one_page_on_a_case_with_a_court_date_ahead(cast, alice):
    assert demo.seed_demo(agency=cast.agency_a) is None  # no court date ahead: nothing
    court_case = justice.court_case_save(
        actor=alice, case=cast.case_a, court="Circuit Court of Cook County", number="26CR7"
    )
    justice.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="trial",
        scheduled_at=timezone.now() + timedelta(days=9),
    )
    page = demo.seed_demo(agency=cast.agency_a)
    assert StatusPage.objects.get() == page
    assert page.case == cast.case_a and page.show_court and page.is_live()
    assert status_of(page, "es").court[0].title == "Juicio"
