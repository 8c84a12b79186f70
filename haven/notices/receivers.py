"""What notices does when lower apps publish an event (connected in apps.NoticesConfig.ready)."""

from haven.notices.investigation import on_investigation_status
from haven.notices.services import on_case_assigned


def tell_victim_of_specialist(sender, *, case_id: int, **facts) -> None:
    """cases.case_assigned: tell the victim who their specialist is (if the agency has that
    update on)."""
    on_case_assigned(case_id)


def tell_victim_of_investigation(sender, *, case_id: int, status: str, **facts) -> None:
    """cases.investigation_status_changed: the victim's message, sent, held or not at all as the
    agency's settings say (held for domestic violence by default)."""
    on_investigation_status(
        case_id, status=status, domestic_violence=facts["domestic_violence"], key=facts["key"]
    )
