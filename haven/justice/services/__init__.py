"""Writing the justice timeline: court cases, court and custody events, and the rights
obligations each event yields (rules.py), in the event's own transaction. Callers import the
services from here; each lives in the module named for it: `rights` (rule sets, who is owed,
requests), `obligations` (opened, honored, waived), `court` (court cases and events),
`custody`, `calendar_feeds`, and `permissions` (who may write).

Manual entry needs case.work on a case the actor may see; feeds (CSV, API) need
justice.import and reach any case of the actor's agency. Every write is audited; each event
writes a case timeline line. Obligations the unit or the police owe that have a message
template queue a message to the victim through haven.notices (contract 2) and are marked
honored when notices reports the message delivered.
"""

from haven.justice.services.calendar_feeds import calendar_feed_create, calendar_feed_revoke
from haven.justice.services.court import (
    ACTIVE,
    COURT_CASE_FIELDS,
    court_case_save,
    court_event_accompany,
    court_event_cancel,
    court_event_move,
    court_event_outcome,
    court_event_record,
)
from haven.justice.services.custody import custody_event_record
from haven.justice.services.obligations import (
    SENDS,
    obligation_honor,
    obligation_honor_from_message,
    obligation_waive,
)
from haven.justice.services.rights import (
    jurisdictions_for,
    justice_settings_save,
    rights_request_record,
    settings_of,
    victims_of,
)

__all__ = [
    "ACTIVE",
    "COURT_CASE_FIELDS",
    "SENDS",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "court_case_save",
    "court_event_accompany",
    "court_event_cancel",
    "court_event_move",
    "court_event_outcome",
    "court_event_record",
    "custody_event_record",
    "jurisdictions_for",
    "justice_settings_save",
    "obligation_honor",
    "obligation_honor_from_message",
    "obligation_waive",
    "rights_request_record",
    "settings_of",
    "victims_of",
]
