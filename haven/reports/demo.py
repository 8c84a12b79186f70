"""Demo rows of the reports app: the agency's goals (the seeds' 24 hours / 15 days / 90 %),
through its service; and the closure survey answers of the year of casework, made for bulk
insert with the cases (haven/demo/builder.py)."""

from __future__ import annotations

import random

from haven.cases.demo import CaseDraft
from haven.cases.models import CaseStatus
from haven.core.actor import Actor
from haven.core.demo import DemoContext, Rows
from haven.lib.bulkrows import Weighted, new_row
from haven.reports.models import SurveyResponse
from haven.reports.services import report_goals_save

# The seeds' current average: about 70 % satisfied or very satisfied.
SURVEY_OVERALL = Weighted([(5, 38), (4, 32), (3, 14), (2, 9), (1, 7)])
SURVEY_RESPONSE_RATE = 0.3


def seed_demo(*, agency, rng: random.Random) -> None:
    report_goals_save(
        actor=Actor.system(agency, "manage.py demo"),
        first_contact_hours=24,
        resolution_days=15,
        satisfaction_percent=90,
        midcase_survey_days=0,
    )


def survey_row(ctx: DemoContext, rows: Rows, draft: CaseDraft) -> None:
    """About a third of closed cases answer the closure survey (reports), anonymously:
    only the month, district, first victimization type and specialist are kept."""
    case, rng = draft.case, ctx.rng
    if draft.plan.status != CaseStatus.CLOSED or rng.random() > SURVEY_RESPONSE_RATE:
        return
    local = case.closed_at.astimezone(ctx.tz)
    overall = SURVEY_OVERALL.pick(rng)
    kind = "yes" if overall >= 4 else rng.choice(("yes", "partly", "no"))
    rows.surveys.append(
        new_row(
            SurveyResponse,
            agency_id=ctx.agency.pk,
            month=local.date().replace(day=1),
            district_id=case.district_id,
            victimization=sorted(draft.plan.codes)[0] if draft.plan.codes else "",
            specialist_id=case.assigned_to_id,
            kind="closure",
            language=draft.victim.preferred_language,
            overall=overall,
            respected=kind,
            informed=rng.choice((kind, kind, "partly", "")),
            knows_help=rng.choice((kind, "yes", "")),
        )
    )
