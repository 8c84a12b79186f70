"""Builders the follow-up tests share, and agency B's follow-up objects for the tenant
isolation walk (haven/core/tests/test_tenant_isolation.py)."""

from datetime import timedelta

from django.utils import timezone

from haven.followup.models import FollowUp, FollowUpKind, FollowUpRule


def other_agency_followups(cast) -> dict:
    """A pending check-in on B's case and one of B's follow-up rules: followup_id and
    followup_rule_id for the walk."""
    followup = FollowUp.objects.create(
        agency=cast.agency_b,
        case=cast.case_b,
        kind=FollowUpKind.COURT,
        due_at=timezone.now() + timedelta(days=3),
        location="Lakeside County Courthouse",
    )
    rule = FollowUpRule.objects.create(agency=cast.agency_b, name="B's follow-up", unit="weeks")
    return {"followup_id": followup.pk, "followup_rule_id": rule.pk}
