"""Writes of the reports app: the agency's goals, survey invitations and anonymous answers, and
the audited PMT download."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, CaseStatus, CloseReason, ClosureReview
from haven.core.actor import Actor
from haven.core.scoping import agency_scope, all_agencies
from haven.core.versions import check_version, save_versioned
from haven.funding.models import FundingSource
from haven.lib.tokens import new_token
from haven.people.models import Person
from haven.reports import events
from haven.reports.grant import grant_csv, grant_report, grant_xlsx
from haven.reports.models import (
    PmtSnapshot,
    ReportGoals,
    SurveyInvitation,
    SurveyKind,
    SurveyResponse,
)
from haven.reports.pmt import Quarter, pmt_csv, pmt_report, pmt_xlsx, report_to_data
from haven.reports.survey import ANSWERS, language_for

logger = logging.getLogger(__name__)
SURVEY_VALID_DAYS = 30
# Closures after which a survey would be unkind or pointless.
NO_SURVEY_CLOSE_REASONS = {CloseReason.DECEASED, CloseReason.LOST_CONTACT}


def report_goals_save(
    *,
    actor: Actor,
    first_contact_hours: int,
    resolution_days: int,
    satisfaction_percent: int,
    midcase_survey_days: int = 0,
    version: int | None = None,
) -> ReportGoals:
    """Set the agency's goals (coordinators: agency.configure). Refused (StaleEdit, nothing
    written) when the goals were saved since `version`."""
    actor.require(Perm.AGENCY_CONFIGURE)
    with transaction.atomic():
        goals = ReportGoals.objects.select_for_update().filter(
            agency=actor.agency
        ).first() or ReportGoals(agency=actor.agency)
        check_version(goals, version)
        before = {
            "first_contact_hours": goals.first_contact_hours,
            "resolution_days": goals.resolution_days,
            "satisfaction_percent": goals.satisfaction_percent,
            "midcase_survey_days": goals.midcase_survey_days,
        }
        goals.first_contact_hours = first_contact_hours
        goals.resolution_days = resolution_days
        goals.satisfaction_percent = satisfaction_percent
        goals.midcase_survey_days = midcase_survey_days
        goals.updated_by = actor.membership
        goals.updated_at = timezone.now()
        goals.full_clean()
        save_versioned(goals, version=version, fields=[*before, "updated_by", "updated_at"])
        after = {key: getattr(goals, key) for key in before}
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_GOALS_SAVE,
            obj=goals,
            details={"before": before, "after": after},
        )
    return goals


def survey_link(token: str) -> str:
    return (settings.SITE_URL or "").rstrip("/") + reverse("reports:survey", args=[token])


def survey_invite(
    *, actor: Actor, case: Case, person: Person | None = None, kind: str = SurveyKind.CLOSURE
) -> SurveyInvitation | None:
    """Offer the person (the case's victim by default) the satisfaction survey over their safe
    channel. None when no survey should go: one was already offered for this case, person and
    kind; the case ended in a way that makes a survey unkind (the victim died, contact was
    lost); or messages to victims are not available. The link token is returned only inside
    the message; the database keeps its hash."""
    actor.require(Perm.CASE_WORK)
    person = person or case.primary_victim
    if kind not in SurveyKind.values:
        raise ValidationError({"kind": f"Unknown survey kind {kind!r}."})
    if kind == SurveyKind.CLOSURE and case.status != CaseStatus.CLOSED:
        raise ValidationError(gettext("A closure survey goes to closed cases only."))
    if case.close_reason in NO_SURVEY_CLOSE_REASONS:
        return None
    if SurveyInvitation.objects.filter(case=case, person=person, kind=kind).exists():
        return None
    token, digest = new_token()
    with transaction.atomic():
        invitation = SurveyInvitation(
            agency=case.agency,
            case=case,
            person=person,
            kind=kind,
            token_hash=digest,
            language=language_for(person.preferred_language),
            expires_at=timezone.now() + timedelta(days=SURVEY_VALID_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        # Imported here: the reports' commands (pmt_report, grant_report) never send a message.
        from haven.notices.services import message_queue

        messages = message_queue(
            actor=actor,
            case=case,
            person=person,
            template="survey_invitation",
            facts={"link": survey_link(token)},
            dedupe_key=f"survey:{invitation.pk}",
            source=f"reports.survey:{invitation.pk}",
        )
        channels = ", ".join(sorted({getattr(m, "channel", "") for m in messages})) or "none"
        events.survey_sent(actor, invitation, channels=channels)
        audit_record(
            actor=actor,
            action=AuditAction.SURVEY_INVITE,
            obj=invitation,
            details={"case": case.pk, "kind": kind, "messages": len(messages)},
        )
    return invitation


def survey_on_case_closed(case_id: int) -> None:
    """On cases.case_closed (after commit; reports.receivers): offer the closure survey, as the
    system, if the case is still closed. Never raises: a survey must not disturb closing a
    case."""
    with all_agencies():
        case = Case.objects.select_related("agency", "primary_victim").filter(pk=case_id).first()
    if case is None or case.status != CaseStatus.CLOSED:
        return
    if case.closure_review == ClosureReview.PENDING:  # not final until a supervisor approves
        return
    with agency_scope(case.agency):
        try:
            survey_invite(actor=Actor.system(case.agency, "reports.survey"), case=case)
        except Exception:  # the case is closed already; a failed survey is only logged
            logger.exception("Could not offer the closure survey for case %s", case_id)


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _checked_answers(overall, **answers: str) -> int:
    """The first question's answer (1 to 5), refusing one missing or any other out of range."""
    try:
        overall = int(overall)
    except (TypeError, ValueError):
        overall = 0
    if overall not in range(1, 6):
        raise ValidationError({"overall": gettext("Choose one answer to the first question.")})
    for name, value in answers.items():
        if value not in ANSWERS:
            raise ValidationError(
                {name: gettext("Choose yes, partly or no, or skip the question.")}
            )
    return overall


def survey_answer(
    *,
    invitation: SurveyInvitation,
    overall: int,
    respected: str = "",
    informed: str = "",
    knows_help: str = "",
    comment: str = "",
) -> SurveyResponse:
    """Record one anonymous answer through a link (no sign-in; the caller holds the agency's
    scope). The link is claimed with a conditional update, so it works once even when two
    answers race; the answer keeps only coarse dimensions and no key to the invitation."""
    overall = _checked_answers(
        overall, respected=respected, informed=informed, knows_help=knows_help
    )
    today = timezone.now().astimezone(invitation.agency.tz).date()
    with transaction.atomic():
        claimed = SurveyInvitation.objects.filter(
            pk=invitation.pk, used_on__isnull=True, expires_at__gt=timezone.now()
        ).update(used_on=today)
        if not claimed:
            raise ValidationError(gettext("This survey link has already been used or has expired."))
        case = invitation.case
        first = case.victimizations.order_by("code").values_list("code", flat=True).first()
        response = SurveyResponse(
            agency=invitation.agency,
            month=_first_of_month(today),
            district_id=case.district_id,
            victimization=first or "",
            specialist_id=case.assigned_to_id,
            kind=invitation.kind,
            language=invitation.language,
            overall=overall,
            respected=respected,
            informed=informed,
            knows_help=knows_help,
            comment=comment.strip()[:2000],
        )
        response.full_clean()
        response.save()
        # The audit row names neither the invitation nor the answer.
        audit_record(
            actor=None,
            agency_id=invitation.agency_id,
            actor_label="survey link",
            action=AuditAction.SURVEY_ANSWER,
            object_type="reports.surveyresponse",
        )
    return response


def pmt_export(
    *, actor: Actor, quarter: str | Quarter, fmt: str, source: FundingSource | None = None
) -> tuple[bytes, str]:
    """The PMT report of a quarter as CSV or XLSX bytes, with its file name; audited. With a
    funding source, restricted to the services tagged to it."""
    actor.require(Perm.AGGREGATES_VIEW)
    if fmt not in ("csv", "xlsx"):
        raise ValidationError({"format": gettext("Choose CSV or XLSX.")})
    if isinstance(quarter, str):
        quarter = Quarter.parse(quarter)
    report = pmt_report(actor, quarter, source=source)
    data = pmt_csv(report) if fmt == "csv" else pmt_xlsx(report)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.PMT_REPORT,
            object_type="reports.pmt",
            object_id=str(quarter),
            details={
                "format": fmt,
                "individuals": report.individuals,
                "new_individuals": report.new_individuals,
                "funding_source": source.pk if source else None,
            },
        )
    suffix = f"-source{source.pk}" if source else ""
    return data, f"pmt-{actor.agency.slug}-{quarter}{suffix}.{fmt}"


def surveys_midcase(*, agency, now=None) -> int:
    """Offer the mid-case survey to the victims of active cases received at least the agency's
    `midcase_survey_days` ago that have not had one (agency setting; 0 = off). Returns how many
    were offered. Safe to run twice: an invitation is unique per case, person and kind."""
    goals = ReportGoals.objects.filter(agency=agency).first()
    if goals is None or not goals.midcase_survey_days:
        return 0
    now = now or timezone.now()
    actor = Actor.system(agency, "reports.survey")
    already = SurveyInvitation.objects.filter(agency=agency, kind=SurveyKind.MIDCASE).values(
        "case_id"
    )
    due = (
        Case.objects.filter(
            agency=agency,
            status=CaseStatus.ACTIVE,
            received_at__lte=now - timedelta(days=goals.midcase_survey_days),
        )
        .exclude(pk__in=already)
        .select_related("primary_victim", "agency")
        .order_by("pk")[:500]
    )
    offered = 0
    for case in due:
        if survey_invite(actor=actor, case=case, kind=SurveyKind.MIDCASE) is not None:
            offered += 1
    return offered


def grant_export(
    *, actor: Actor, source: FundingSource, quarter: str | Quarter, fmt: str
) -> tuple[bytes, str]:
    """The per-grant report of one funding source and quarter as CSV or XLSX, with its file
    name; audited. Refused: without reports.aggregates, another agency's source, a format
    other than CSV or XLSX, a quarter not written like 2026Q3."""
    actor.require(Perm.AGGREGATES_VIEW)
    actor.require_own(source)
    if fmt not in ("csv", "xlsx"):
        raise ValidationError({"format": gettext("Choose CSV or XLSX.")})
    if isinstance(quarter, str):
        quarter = Quarter.parse(quarter)
    report = grant_report(actor, source, quarter)
    data = grant_csv(report) if fmt == "csv" else grant_xlsx(report)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.GRANT_REPORT,
            obj=source,
            details={"quarter": str(quarter), "format": fmt, "individuals": report.individuals},
        )
    return data, f"grant-{actor.agency.slug}-source{source.pk}-{quarter}.{fmt}"


def pmt_freeze(
    *, actor: Actor, quarter: Quarter, source: FundingSource | None = None, reason: str
) -> PmtSnapshot:
    """Freeze a quarter's PMT report (all services, or one funding source's) as the rows count
    it now, so later deletions leave it as filed (docs/retention.md). A quarter frozen already
    stays as it was. Refused for a quarter that has not ended (its report is not filed yet)."""
    actor.require(Perm.AGGREGATES_VIEW)
    today = timezone.now().astimezone(actor.agency.tz).date()
    if quarter.end >= today:
        raise ValidationError(f"The quarter {quarter} has not ended: its report is not filed yet.")
    with transaction.atomic():
        found = PmtSnapshot.objects.filter(
            agency=actor.agency, quarter=str(quarter), funding_source=source
        ).first()
        if found is not None:
            return found
        report = pmt_report(actor, quarter, source=source)
        snapshot = PmtSnapshot.objects.create(
            agency=actor.agency,
            quarter=str(quarter),
            funding_source=source,
            data=report_to_data(report),
            reason=reason[:200],
        )
        audit_record(
            actor=actor,
            action=AuditAction.PMT_FREEZE,
            obj=snapshot,
            reason=reason,
            details={
                "quarter": str(quarter),
                "funding_source": source.pk if source else None,
                "individuals": report.individuals,
            },
        )
    return snapshot
