"""Every change to follow-up. Each service takes the acting member, checks permission, guards
the case's status, validates, then in one transaction saves, writes the timeline line and the
audit event. Callers import them from here; each lives in the module named for it:

- `agency_settings`: skipping closed days, the default time;
- `rules`: the agency's rules (which cadence a case gets);
- `plans`: a case's plan of regular check-ins; `sweeps`: the hourly start and stop of plans;
- `followups`: schedule, complete or skip one check-in or appointment;
- `assignees`: reassign a follow-up, hand a leaving member's over.

Check-ins come one at a time: a plan has at most one pending check-in, and completing or
skipping it schedules the next on the plan's grid (schedule.py), counted from the planned
occurrence, never from when it was done. Court accompaniment appointments are one-offs.
"""

from haven.followup.services.agency_settings import (
    followup_settings,
    followup_settings_save,
    open_weekdays,
)
from haven.followup.services.assignees import followup_reassign, followups_hand_over
from haven.followup.services.followups import (
    Recorded,
    followup_complete,
    followup_schedule,
    followup_skip,
)
from haven.followup.services.plans import activated_at, plan_pause, plan_set, plan_start_by_rule
from haven.followup.services.rules import RuleData, followup_rule_save, matching_rule
from haven.followup.services.sweeps import (
    plan_stop_for_ended_case,
    plans_start_for_active_cases,
    plans_stop_for_ended_cases,
)

__all__ = [
    "Recorded",
    "RuleData",
    "activated_at",
    "followup_complete",
    "followup_reassign",
    "followup_rule_save",
    "followup_schedule",
    "followup_settings",
    "followup_settings_save",
    "followup_skip",
    "followups_hand_over",
    "matching_rule",
    "open_weekdays",
    "plan_pause",
    "plan_set",
    "plan_start_by_rule",
    "plan_stop_for_ended_case",
    "plans_start_for_active_cases",
    "plans_stop_for_ended_cases",
]
