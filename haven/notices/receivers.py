"""What notices does when lower apps publish an event (connected in apps.NoticesConfig.ready)."""

from haven.notices.models import Message

# The services are imported inside each receiver, on its first call: this module is imported
# by every process (apps.NoticesConfig.ready), most of which send no message.


def tell_victim_of_specialist(sender, *, case_id: int, **facts) -> None:
    """cases.case_assigned: tell the victim who their specialist is (if the agency has that
    update on)."""
    from haven.notices.services import on_case_assigned

    on_case_assigned(case_id)


def tell_victim_of_investigation(sender, *, case_id: int, status: str, **facts) -> None:
    """cases.investigation_status_changed: the victim's message, sent, held or not at all as the
    agency's settings say (held for domestic violence by default)."""
    from haven.notices.investigation import on_investigation_status

    on_investigation_status(
        case_id, status=status, domestic_violence=facts["domestic_violence"], key=facts["key"]
    )


def messages_about(agency_id: int, case_ids: list[int], person_ids: list[int]):
    """The messages to these people or on these cases: a downloaded letter is a read of the
    person's record (haven.audit.reads)."""
    about = Message.objects.filter(agency_id=agency_id, case_id__in=case_ids)
    if person_ids:
        about = about.filter(person_id__in=person_ids)
    return (("notices.message", pk) for pk in about.values_list("pk", flat=True))
