from datetime import timedelta

from django.utils import timezone

from haven.lib.tokens import token_digest
from haven.reports.models import ReportGoals, SurveyInvitation, SurveyResponse


def other_agency_reports(cast) -> dict:
    """Agency B's goals, a survey invitation and an answer (for the tenant-isolation walk)."""
    ReportGoals.objects.create(agency=cast.agency_b, first_contact_hours=1)
    invitation = SurveyInvitation.objects.create(
        agency=cast.agency_b,
        case=cast.case_b,
        person=cast.case_b.primary_victim,
        kind="closure",
        token_hash=token_digest("b-survey-token"),
        expires_at=timezone.now() + timedelta(days=30),
    )
    SurveyResponse.objects.create(
        agency=cast.agency_b, month=timezone.now().date().replace(day=1), overall=1, kind="closure"
    )
    return {"survey_invitation_id": invitation.pk}
