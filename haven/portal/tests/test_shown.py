"""What the victim sees: only what the specialist released, on their own case. Never a note,
the case's other people, the defendant, the charges, the court case number, custody
conditions, or anything not released (fail closed)."""

from datetime import date, timedelta

from django.utils import timezone

from haven.compensation.models import Claim
from haven.justice import services as justice
from haven.partners.models import Organization, Service
from haven.portal.selectors import status_of
from haven.portal.services import page_release
from haven.referrals.models import Referral


def _court(alice, case):
    court_case = justice.court_case_save(
        actor=alice,
        case=case,
        court="Circuit Court of Cook County",
        number="26CR01234",
        charges="720 ILCS 5/12-3.2 Domestic battery",
        defendant_name="Rex Roe",
    )
    arrested = justice.custody_event_record(
        actor=alice,
        case=case,
        court_case=court_case,
        kind="arrested",
        occurred_at=timezone.now() - timedelta(days=2),
    )
    released = justice.custody_event_record(
        actor=alice,
        case=case,
        court_case=court_case,
        kind="released_on_bond",
        occurred_at=timezone.now() - timedelta(days=1),
        conditions="GPS monitor; lives at 12 Elm St",
    )
    hearing = justice.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="preliminary_hearing",
        scheduled_at=timezone.now() + timedelta(days=6),
        courthouse="Domestic Violence Courthouse",
        courtroom="103",
    )
    return arrested, released, hearing


def _claim_and_referral(cast, victim):
    Claim.objects.create(
        agency=cast.agency_a,
        case=cast.case_a,
        claimant=victim,
        claimant_relation="victim",
        program="illinois",
        crime_date=date(2026, 11, 20),
        status="pending",
        state_claim_number="CV-2026-0042",
    )
    org = Organization.objects.create(agency=cast.agency_a, name="Legal Aid Chicago")
    service = Service.objects.create(
        agency=cast.agency_a, organization=org, name="Orders of protection"
    )
    Referral.objects.create(
        agency=cast.agency_a,
        case=cast.case_a,
        person=victim,
        service=service,
        organization=org,
        need="legal",
        status="accepted",
    )


def _everything(status) -> str:
    lines = [status.specialist.get("name", "")]
    for section in (status.court, status.custody, status.compensation, status.referrals):
        for line in section or []:
            lines += [line.title, line.detail, line.note, line.place]
    return " ".join(lines + status.next)


def test_a_new_page_shows_the_specialist_and_nothing_unreleased(cast, alice, offer, victim, sister):
    _court(alice, cast.case_a)
    _claim_and_referral(cast, victim)
    page = offer().page
    status = status_of(page, "en")
    assert status.specialist["name"] == "Alice Avery"
    assert status.specialist["phone"] == "312-555-0101"
    assert status.court is None and status.compensation is None and status.referrals is None
    assert status.custody == []
    text = _everything(status)
    assert "Preliminary" not in text and "CV-2026" not in text and "Legal Aid" not in text


def test_released_sections_show_in_plain_language(cast, alice, offer, victim):
    arrested, released, hearing = _court(alice, cast.case_a)
    _claim_and_referral(cast, victim)
    page = offer(show_court=True, show_compensation=True, show_referrals=True).page
    page_release(
        actor=alice,
        page=page,
        dob_allowed=False,
        show_court=True,
        show_compensation=True,
        show_referrals=True,
        custody_ids=[released.pk],
        next_steps="Bring your ID to court.",
    )
    es = status_of(page, "es")
    assert es.court[0].title == "Audiencia preliminar"
    assert es.court[0].place == "Domestic Violence Courthouse, #103"
    assert [line.title for line in es.custody] == ["El acusado quedó en libertad con condiciones."]
    assert es.compensation[0].title == "En revisión por el estado"
    assert "CV-2026-0042" in es.compensation[0].detail
    assert es.referrals[0].title == "Legal Aid Chicago · Orders of protection"
    assert es.referrals[0].detail == "Aceptada; se comunicarán con usted"
    assert es.next[0].startswith("Su próxima fecha en el tribunal es el")
    assert "Bring your ID to court." in es.next
    # Seen in the docs' screenshots: "... at 10 a.m.." (the time's period and the sentence's).
    for language in ("en", "es", "pl", "zh-hans", "ar"):
        assert ".." not in status_of(page, language).next[0], language


def test_never_notes_other_people_or_court_details(cast, alice, offer, victim, sister, witness):
    _, released, _ = _court(alice, cast.case_a)
    _claim_and_referral(cast, victim)
    page = offer(
        show_court=True, show_compensation=True, show_referrals=True, custody_ids=[released.pk]
    ).page
    for language in ("en", "es", "pl", "zh-hans", "ar"):
        text = _everything(status_of(page, language))
        for secret in (
            "after 5pm",  # the cast's note on the case
            "Lee",  # the victim's sister, on the case
            "Wade",  # a witness on the case
            "Rex Roe",  # the defendant
            "12-3.2",  # the charges
            "26CR01234",  # the court case number
            "12 Elm St",  # custody conditions
        ):
            assert secret not in text, (language, secret)


def test_custody_changes_show_only_when_released_one_by_one(cast, alice, offer):
    arrested, released, _ = _court(alice, cast.case_a)
    page = offer(custody_ids=[arrested.pk]).page
    assert [line.title for line in status_of(page, "en").custody] == ["The accused was arrested."]


def test_another_cases_custody_event_cannot_be_released(cast, alice, charlie, offer):
    other = justice.custody_event_record(
        actor=charlie,
        case=cast.case_b,
        kind="arrested",
        occurred_at=timezone.now() - timedelta(days=1),
    )
    page = offer(custody_ids=[other.pk]).page
    assert page.custody.count() == 0
    assert status_of(page, "en").custody == []


def test_a_claim_for_someone_else_is_not_shown(cast, alice, offer, sister):
    Claim.objects.create(
        agency=cast.agency_a,
        case=cast.case_a,
        claimant=sister,
        claimant_relation="dependent",
        program="illinois",
        crime_date=date(2026, 11, 20),
        status="awarded",
    )
    page = offer(show_compensation=True).page
    assert status_of(page, "en").compensation == []
