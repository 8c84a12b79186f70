"""Writing a safety plan: every change is a new revision of the person's plan. The service
checks permission and access through the case, validates, then in one transaction numbers the
revision, saves it, writes the timeline line and the audit event (section names, never text)."""

import json

from django.conf import global_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.core.versions import StaleEdit
from haven.people.models import LANGUAGES as PEOPLE_LANGUAGES
from haven.people.models import Person
from haven.safety import events
from haven.safety.models import SafetyPlan, SafetyPlanRevision
from haven.safety.sections import SECTION_KEYS, heading
from haven.safety.selectors import person_on_case

SECTION_LIMIT = 4000
NOTE_LIMIT = 500


def known_languages() -> set[str]:
    """The codes a plan may be printed in: Django's language list and the people app's."""
    # Django's own list, not settings.LANGUAGES (the languages the staff interface has).
    return {code for code, _ in global_settings.LANGUAGES} | {code for code, _ in PEOPLE_LANGUAGES}


def _clean_sections(sections: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(sections) - set(SECTION_KEYS))
    if unknown:
        raise ValidationError(
            {"sections": f"Unknown section {', '.join(unknown)}: use {', '.join(SECTION_KEYS)}."}
        )
    # A textarea sends "\r\n": store "\n", so an unchanged section compares equal next time.
    return {key: (sections.get(key) or "").replace("\r\n", "\n").strip() for key in SECTION_KEYS}


def _validate(cleaned: dict[str, str], language: str, note: str) -> None:
    errors: dict[str, str] = {}
    for key, text in cleaned.items():
        if len(text) > SECTION_LIMIT:
            errors[key] = (
                f"Keep “{heading(key)}” to {SECTION_LIMIT} characters (it has {len(text)})."
            )
    if not any(cleaned.values()):
        errors["sections"] = "Write at least one section of the plan."
    if language not in known_languages():
        errors["language"] = f"Unknown language {language!r}: choose one from the list."
    if len(note) > NOTE_LIMIT:
        errors["note"] = f"Keep the note to {NOTE_LIMIT} characters (it has {len(note)})."
    if errors:
        raise ValidationError(errors)


def _plan_for(case: Case, person: Person) -> SafetyPlan:
    plan = SafetyPlan.objects.filter(agency=case.agency, person=person).first()
    if plan is not None:
        return plan
    try:
        with transaction.atomic():
            return SafetyPlan.objects.create(agency=case.agency, person=person)
    except IntegrityError:  # another specialist wrote the first revision at the same moment
        return SafetyPlan.objects.get(agency=case.agency, person=person)


# long: refusals, then a numbered revision written under the plan's row lock
def safety_plan_revise(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    sections: dict[str, str],
    language: str,
    note: str = "",
    based_on: int | None = None,
) -> SafetyPlanRevision:
    """Write the person's safety plan, or revise it: always a new revision, numbered from 1.

    `sections` maps section keys (sections.SECTION_KEYS) to text; a missing key is an empty
    section. `based_on` is the revision number the writer started from (0 for a new plan): if
    someone revised the plan since, nothing is saved (StaleEdit, carrying the revision saved
    now: haven.core.versions, the same refusal every edit form gives).

    Refused without case.work, for another agency's case or person, for a case outside the
    actor's caseload, for a person who is neither the case's primary victim nor someone it
    serves, on an ended case, for an unknown section or language, with every section empty,
    a section over 4000 characters or a note over 500, and when nothing changed since the
    current revision.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    actor.require_own(person)
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("That case is outside your caseload.")
    if person_on_case(case, person.pk) is None:
        raise ValidationError(
            {"person": f"{person.full_name} is not the victim or someone this case serves."}
        )
    if not case.is_open:
        raise ValidationError(gettext("This case has ended. Reopen it to revise the safety plan."))
    cleaned = _clean_sections(sections)
    note = note.strip()
    _validate(cleaned, language, note)
    now = timezone.now()
    with transaction.atomic():
        plan = _plan_for(case, person)
        # The conditional bump takes the plan's row lock first: concurrent writers queue here.
        SafetyPlan.objects.filter(pk=plan.pk).update(
            revision_count=F("revision_count") + 1, revised_at=now, revised_by=actor.membership
        )
        plan.refresh_from_db(fields=["revision_count", "revised_at", "revised_by"])
        number = plan.revision_count
        previous = plan.revisions.filter(number=number - 1).first()
        if based_on is not None and based_on != number - 1:
            if previous is None:
                raise ValidationError(gettext("This plan has no such revision: open it again."))
            raise StaleEdit(current=previous, sent=based_on, saved_version=previous.number)
        before = previous.sections if previous else {}
        changed = [key for key in SECTION_KEYS if cleaned[key] != before.get(key, "")]
        if previous is not None and not changed and previous.language == language:
            raise ValidationError(
                f"Nothing changed since revision {previous.number}: change a section or the "
                "language to save a new revision."
            )
        revision = SafetyPlanRevision.objects.create(
            agency=case.agency,
            plan=plan,
            number=number,
            case=case,
            content=json.dumps(cleaned, ensure_ascii=False),
            language=language,
            note=note,
            changed=changed,
            created_by=actor.membership,
            created_at=now,
        )
        events.plan_revised(actor, revision)
        audit_record(
            actor=actor,
            action=AuditAction.SAFETY_PLAN_REVISE,
            obj=plan,
            details={
                "case": case.pk,
                "person": person.pk,
                "revision": number,
                "sections_changed": changed,
            },
        )
    return revision
