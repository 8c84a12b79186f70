"""What notices does when lower apps publish an event (connected in apps.NoticesConfig.ready)."""

from haven.notices.services import on_case_assigned


def tell_victim_of_specialist(sender, *, case_id: int, **facts) -> None:
    """cases.case_assigned: tell the victim who their specialist is (if the agency has that
    update on)."""
    on_case_assigned(case_id)
