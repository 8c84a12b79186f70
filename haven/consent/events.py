"""The case timeline lines of releases of information (like haven/cases/events.py), written
inside the service's transaction. `data` names the recipient, purposes and term, never notes."""

from django.utils import timezone

from haven.cases.models import CaseEvent, CaseEventKind
from haven.consent.models import ReleaseOfInformation
from haven.core.actor import Actor
from haven.lib.languages import stored_in_english


@stored_in_english()
def _event(actor: Actor, release: ReleaseOfInformation, summary: str) -> CaseEvent | None:
    if release.case_id is None:
        return None
    return CaseEvent.objects.create(
        agency=release.agency,
        case=release.case,
        kind=CaseEventKind.CONSENT,
        at=timezone.now(),
        actor=actor.membership,
        data={"summary": summary},
    )


@stored_in_english()
def release_recorded(actor: Actor, release: ReleaseOfInformation) -> CaseEvent | None:
    purposes = ", ".join(p.replace("_", " ") for p in release.purposes)
    until = timezone.localtime(release.expires_at, release.agency.tz)
    return _event(
        actor,
        release,
        f"Release of information from {release.person.full_name} to "
        f"{release.recipient_label} for {purposes}, until {until:%b} {until.day}, {until.year}",
    )


@stored_in_english()
def release_revoked(actor: Actor, release: ReleaseOfInformation) -> CaseEvent | None:
    return _event(
        actor,
        release,
        f"Release of information from {release.person.full_name} to "
        f"{release.recipient_label} revoked ({release.get_revocation_method_display().lower()})",
    )
