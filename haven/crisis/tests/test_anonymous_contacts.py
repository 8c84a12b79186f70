"""Anonymous contacts: what they hold (nothing that names anyone), what is refused, the pages,
and the PMT report's anonymous row."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from haven.crisis.models import AnonymousContact
from haven.crisis.services import anonymous_contact_record
from haven.reports.pmt import Quarter, pmt_report

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 2)  # the clock's Wednesday


def record(actor, **changes):
    fields = {"kind": "hotline", "contact_date": TODAY, "duration_minutes": 25}
    return anonymous_contact_record(actor=actor, **(fields | changes))


def test_an_anonymous_contact_is_never_tied_to_a_person_or_a_case(alice):
    contact = record(alice, victimization="stalking", services=["C2", "A3"], referral="A3")

    contact.refresh_from_db()
    assert contact.services == ["A3", "C2"] and contact.victimization == "stalking"
    names = {f.name for f in AnonymousContact._meta.get_fields()}
    assert not names & {"person", "case", "name", "phone", "notes"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "letter"}, "kind"),
        ({"contact_date": TODAY + timedelta(days=1)}, "contact_date"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"victimization": "jaywalking"}, "victimization"),
        ({"services": ["C2", "Z9"]}, "services"),
        ({"referral": "A1"}, "referral"),
    ],
)
def test_bad_input_is_refused_naming_the_field(alice, changes, field):
    with pytest.raises(ValidationError) as refused:
        record(alice, **changes)
    assert field in refused.value.message_dict
    assert not AnonymousContact.objects.exists()


def test_officers_and_analysts_record_none(client_as):
    assert client_as("officer").get(reverse("crisis:contact_new")).status_code == 403
    assert client_as("analyst").get(reverse("crisis:contact_list")).status_code == 403


def test_the_page_records_one_and_lists_it(client_as, cast):
    client = client_as("advocate")
    response = client.post(
        reverse("crisis:contact_new"),
        {
            "kind": "walk_in",
            "contact_date": "2026-12-01",
            "duration_minutes": "40",
            "services": ["C1", "A4"],
            "referral": "A4",
        },
    )
    assert response.status_code == 302
    contact = AnonymousContact.objects.get()
    assert (contact.kind, contact.recorded_by, contact.agency) == (
        "walk_in",
        cast.advocate,
        cast.agency_a,
    )
    page = client.get(reverse("crisis:contact_list")).content.decode()
    assert "Walk-in" in page and "A4, C1" in page
    assert (
        "Walk-in"
        not in client_as("other_advocate").get(reverse("crisis:contact_list")).content.decode()
    )


def test_the_pmt_report_counts_the_quarters_anonymous_contacts(cast, alice, sam):
    # Federal fiscal 2027, quarter 1: October 1 to December 31, 2026.
    for day in (date(2026, 10, 1), date(2026, 11, 15), TODAY):
        record(alice, contact_date=day)
    record(alice, contact_date=date(2026, 9, 30), kind="walk_in")  # the quarter before
    anonymous_contact_record(
        actor=cast.actor("other_advocate"), kind="hotline", contact_date=TODAY, duration_minutes=5
    )

    report = pmt_report(sam, Quarter(2027, 1))

    row = next(r for r in report.rows if r.code == "anonymous")
    assert row.individuals == 3
    assert (
        next(r for r in pmt_report(sam, Quarter(2026, 4)).rows if r.code == "anonymous").individuals
        == 1
    )
