"""What the reports read: referral outcomes per partner and status, counts only; and the
hourly task that expires unanswered referrals."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from haven.core.actor import Actor
from haven.referrals.selectors import referral_outcomes
from haven.referrals.services import ANSWER_DAYS, referral_answer_record, referral_propose
from haven.referrals.tasks import run_hour


def test_outcomes_count_referrals_per_partner_and_status(cast, alice, sent, proposal, legal_aid):
    referral, _ = sent
    referral_answer_record(actor=alice, referral=referral, status="accepted")
    proposal()
    referral_propose(
        actor=alice, case=cast.case_a, service=legal_aid, need="legal_aid", categories=["identity"]
    )
    today = timezone.localdate(timezone.now(), cast.agency_a.tz)
    rows = referral_outcomes(cast.actor("analyst"), start=today, end=today)
    assert [(r["organization"], r["status"], r["count"]) for r in rows] == [
        ("Harbor House", "accepted", 1),
        ("Harbor House", "consented", 1),  # the shelter's release covers it
        ("Legal Aid Chicago", "proposed", 1),
    ]
    assert set(rows[0]) == {"organization", "organization_id", "status", "count"}
    assert "Dana" not in str(rows) and cast.case_a.number not in str(rows)
    # Filters: the district of the case, the specialist who referred, the dates.
    assert (
        len(
            referral_outcomes(
                cast.actor("analyst"), start=today, end=today, district=cast.district_a
            )
        )
        == 3
    )
    assert (
        referral_outcomes(
            cast.actor("supervisor"), start=today, end=today, specialist=cast.advocate2
        )
        == []
    )
    yesterday = today - timedelta(days=1)
    assert referral_outcomes(cast.actor("analyst"), start=yesterday, end=yesterday) == []


def test_outcomes_need_the_aggregates_permission_and_stay_in_the_agency(cast, sent):
    with pytest.raises(PermissionDenied):
        referral_outcomes(
            cast.actor("advocate"), start=timezone.now().date(), end=timezone.now().date()
        )
    today = timezone.now().date()
    b_analyst_view = referral_outcomes(
        Actor.system(cast.agency_b, "report"),
        start=today - timedelta(days=1),
        end=today + timedelta(days=1),
    )
    assert b_analyst_view == []


def test_the_hourly_task_expires_unanswered_referrals(cast, sent):
    referral, _ = sent
    assert run_hour()[cast.agency_a.pk] == 0
    assert run_hour(now=timezone.now() + timedelta(days=ANSWER_DAYS + 1))[cast.agency_a.pk] == 1
    referral.refresh_from_db()
    assert referral.status == "expired"
