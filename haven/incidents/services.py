"""Changes to incidents: the import, and a specialist's decision on a possible match.

Each takes the acting staff member (or the system actor of a command), checks the permission,
validates, writes its audit events, and runs in transactions of its own: the import one per
batch (importer.py), a decision one in all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.incidents import hooks
from haven.incidents.importer import BATCH_SIZE, Importer, ImportResult, Progress
from haven.incidents.models import (
    ImportRun,
    IncidentPerson,
    LinkSource,
    MatchCandidate,
    MatchStatus,
)
from haven.incidents.profile import Profile

REASON_MAX = 500


def incidents_import(
    *,
    actor: Actor,
    profile: Profile,
    stream: BinaryIO,
    file_name: str,
    dry_run: bool = False,
    strict: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    on_run: Callable[[ImportRun], None] | None = None,
) -> ImportResult:
    """Import a records-system export (a binary stream) into the actor's agency.

    Refused without incidents.import. Raises FileError when the file as a whole cannot be read
    (wrong profile, wrong encoding); bad rows are returned in the result, not raised. With
    strict the stream must be seekable: it is read twice. Run it inside the agency's scope.
    """
    actor.require(Perm.INCIDENT_IMPORT)
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if strict and not stream.seekable():
        raise ValueError("a strict import reads the file twice: give a seekable stream")
    return Importer(
        actor=actor,
        profile=profile,
        stream=stream,
        file_name=file_name,
        dry_run=dry_run,
        strict=strict,
        batch_size=batch_size,
        progress=progress,
        on_run=on_run,
    ).run()


def match_candidate_link(*, actor: Actor, candidate: MatchCandidate) -> MatchCandidate:
    """Confirm that the person on the report is this known person, and link them.

    Refused without person.edit, for another agency's candidate, for a candidate already
    decided (by anyone), and when the person on the report is already linked to someone else.
    The other open candidates for the same person on the report are rejected with it. A
    victim whose outreach case waited for this decision gets it now (outreach.py).
    """
    actor.require(Perm.PERSON_EDIT)
    actor.require_own(candidate)
    _require_pending(candidate)
    incident_person = IncidentPerson.objects.get(pk=candidate.incident_person_id)
    if incident_person.person_id not in (None, candidate.person_id):
        raise ValidationError(
            gettext(
                "This person on the report is already linked to someone else: reject this match."
            )
        )
    now = timezone.now()
    with transaction.atomic():
        _claim(actor, candidate, MatchStatus.LINKED, now)
        IncidentPerson.objects.filter(pk=incident_person.pk).update(
            person_id=candidate.person_id, link_source=LinkSource.REVIEW
        )
        others = MatchCandidate.objects.filter(
            incident_person_id=incident_person.pk, status=MatchStatus.PENDING
        ).exclude(pk=candidate.pk)
        other_ids = sorted(others.values_list("pk", flat=True))
        others.update(
            status=MatchStatus.REJECTED,
            decided_by=actor.membership,
            decided_at=now,
            reason="Another match was linked.",
        )
        audit_record(
            actor=actor,
            action=AuditAction.INCIDENT_MATCH_LINK,
            obj=candidate,
            details={
                "incident": incident_person.incident_id,
                "incident_person": incident_person.pk,
                "person": candidate.person_id,
                "rejected": other_ids,
            },
        )
        hooks.after_review(incident_person, acting_for=actor.label)
    candidate.refresh_from_db()
    return candidate


def match_candidate_reject(
    *, actor: Actor, candidate: MatchCandidate, reason: str = ""
) -> MatchCandidate:
    """Record that the known person is not the one on the report.

    Refused without person.edit, for another agency's candidate, and for one already decided.
    When it was the victim's last open candidate, their outreach case opens (outreach.py).
    """
    actor.require(Perm.PERSON_EDIT)
    actor.require_own(candidate)
    _require_pending(candidate)
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason to {REASON_MAX} characters."})
    with transaction.atomic():
        _claim(actor, candidate, MatchStatus.REJECTED, timezone.now(), reason=reason)
        audit_record(
            actor=actor,
            action=AuditAction.INCIDENT_MATCH_REJECT,
            obj=candidate,
            reason=reason,
            details={
                "incident_person": candidate.incident_person_id,
                "person": candidate.person_id,
            },
        )
        hooks.after_review(candidate.incident_person, acting_for=actor.label)
    candidate.refresh_from_db()
    return candidate


def _require_pending(candidate: MatchCandidate) -> None:
    if candidate.status != MatchStatus.PENDING:
        raise ValidationError(
            f"This match was already decided ({candidate.get_status_display().lower()})."
        )


def _claim(actor: Actor, candidate: MatchCandidate, status: str, now, reason: str = "") -> None:
    """Decide the candidate only if it is still pending: of two specialists deciding at once,
    the second is told instead of overwriting the first."""
    claimed = MatchCandidate.objects.filter(pk=candidate.pk, status=MatchStatus.PENDING).update(
        status=status, decided_by=actor.membership, decided_at=now, reason=reason
    )
    if not claimed:
        raise ValidationError(gettext("Someone else decided this match first: reload the list."))
