"""The officer's referral of a victim from the scene (a "scene referral"; not to be confused
with haven.referrals, a specialist's referral of a victim to a partner): the victim, how to reach
them safely, the report number if any. It opens a case (intake.services.case_intake), gives it to
the specialist on call, and alerts them by email after the commit. Also here: who is on call (a
minimal setting under the on-call roster of issue 4), and the officer's receipt.

Permissions. An officer holds `intake.scene_referral` and nothing that opens, reads or works a
case. Rather than teach `person_create`, `contact_point_add` and `case_open` to accept a second
permission (which would let an officer use them anywhere), `officer_referral_open` first
requires `intake.scene_referral` of the real actor, then lends that same actor exactly the
permissions opening the case takes (`LENT`: person.edit, case.create, case.assign) for the one
call to `case_intake` it makes, and never hands the lent actor on. So:
- it fails closed: a role without `intake.scene_referral` is refused before anything is lent,
  and the lent actor can do nothing outside this function (it is never returned);
- it is not a system actor: the person, contact points, case, timeline and every audit event
  name the officer (their user, role "officer", address), and `created_by` is their membership;
- the officer still reads nothing: `case.view` is never lent, so `cases_visible_to`, the case
  page and the API answer them as before. What they get back is the receipt below.

Consent. The form asks whether the victim agrees to be contacted by victim services and records
the answer, but the case opens whatever it is. Law-enforcement-based victim services reach out
to victims from police reports without asking first (haven.outreach); a "no" said at the
scene, in shock and often in front of others, is not yet a refusal of services, and "could not
ask" is common. The specialist sees the answer (on the case's narrative, with the officer's
note) and the victim's own word to them decides; a refusal then closes the case as "declined".

The lethality screen. The officer may answer the LAP lethality screen on the same form
(`lethality`, optional). Its answers are checked before anything is saved; a screen that screens
in opens the case at high priority, like "in danger now". The screen is recorded on the new case
in the same transaction by `lethality.services.lethality_screen_record`, through the officer's
own actor lent exactly case.work (`SCREEN_LENT`) for that one call on the case just opened: so
the screen, its timeline line, the hotline task and their audit events name the officer, and
the officer can record nothing on any other case. The lethality service then alerts the
specialists of the high danger after the commit, beside the referral's own alert.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import time
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.agencies.models import Agency, Membership
from haven.agencies.roles import CASEWORKER_ROLES, Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, CaseSource, Priority
from haven.cases.tasks import referral_alert
from haven.core.actor import Actor
from haven.crisis.models import CallOut, Place
from haven.crisis.services import callout_request_from_scene
from haven.intake.services import NewCase, NewVictim, case_intake
from haven.lethality.models import SpokeWithHotline
from haven.lethality.selectors import referral_screen
from haven.lethality.services import (
    ScreenAnswers,
    lethality_screen_record,
    screen_score,
    screen_validate,
)
from haven.lib.phones import display_phone, normalize_phone
from haven.oncall.selectors import on_call_now

# What opening the case takes beyond intake.scene_referral; never case.view or case.work.
LENT = frozenset({Perm.PERSON_EDIT, Perm.CASE_CREATE, Perm.CASE_ASSIGN})
# What recording the officer's lethality screen on the case just opened takes; never case.view.
SCREEN_LENT = frozenset({Perm.CASE_WORK})

# The victimization types an officer meets most, first on the form (OVC PMT codes,
# haven/reference/pmt.json); every other type is a tap away.
COMMON_VICTIMIZATIONS = [
    "domestic_violence",
    "adult_sexual_assault",
    "adult_physical_assault",
    "stalking",
    "homicide_survivor",
    "child_physical_abuse",
    "child_sexual_abuse",
    "robbery",
    "other",
]

NOTE_LIMIT = 1000


class Consent(models.TextChoices):
    # The victim said yes to a call from victim services.
    YES = "yes", _("Yes, the victim agrees to be contacted")
    # The victim said no at the scene; the specialist decides how (and whether) to reach out.
    NO = "no", _("No, the victim does not want to be contacted now")
    # Injured, not present, not safe to ask in front of others.
    NOT_ASKED = "not_asked", _("Could not ask")


@dataclass
class ReferredVictim:
    """The victim as the officer gives them: names, language, and how to reach them safely."""

    first_name: str
    last_name: str
    phone: str = ""
    safe_to_call: bool = False
    ok_voicemail: bool = False
    ok_text: bool = False
    safe_from: time | None = None
    safe_until: time | None = None
    email: str = ""
    preferred_language: str = "en"
    interpreter_needed: bool = False


@dataclass(frozen=True)
class SpecialistRequest:
    """The officer asks for a specialist to come (haven.crisis: a call-out): where, and the
    address or place (a hospital and ward) when it is not obvious."""

    place: str
    place_detail: str = ""


@dataclass(frozen=True)
class _ReferringActor(Actor):
    """The referring member with `lent` permissions added for the one call that opens the case.
    Everything else (agency, membership, address, label, role) is the member's own."""

    lent: frozenset[Perm] = frozenset()

    @classmethod
    def lending(cls, actor: Actor, lent: frozenset[Perm]) -> _ReferringActor:
        actor.require(Perm.SCENE_REFERRAL)
        return cls(**{f.name: getattr(actor, f.name) for f in fields(Actor)}, lent=lent)

    def has(self, perm: Perm) -> bool:
        return perm in self.lent or super().has(perm)


def on_call_specialist(agency: Agency) -> Membership | None:
    """Who takes referrals now, by the on-call roster (haven.oncall: shift, holiday cover,
    weekly pattern, then the manual choice), while they can still hold cases; else nobody."""
    return on_call_now(agency).member


def _priority(*, urgent: bool, high_danger: bool = False) -> str:
    return Priority.HIGH if urgent or high_danger else Priority.NORMAL


def _phone_safety_note(victim: ReferredVictim) -> str:
    """ContactPoint has no "ok to call" flag: say it in the number's safety note instead."""
    if not victim.phone.strip() or victim.safe_to_call:
        return ""
    if victim.ok_text:
        return "Not marked safe to call at the scene: text first."
    return "Not marked safe to call or text at the scene: ask the victim when you reach them."


def _narrative(
    *, actor: Actor, consent: str, urgent: bool, note: str, high_danger: bool = False
) -> str:
    """What the specialist reads on the case: who referred, the consent answer, the note."""
    officer = actor.membership
    who = officer.display_name + (f", {display_phone(officer.phone)}" if officer.phone else "")
    lines = [
        f"Referred from the scene by {who} ({officer.get_role_display().lower()}).",
        f"Consent to contact: {Consent(consent).label}.",
    ]
    if urgent:
        lines.append("URGENT: the officer says the victim is in danger now.")
    if high_danger:
        lines.append("HIGH DANGER: the officer's lethality screen screened in (see the screen).")
    if note:
        lines.append(f"Officer's note: {note}")
    return "\n".join(lines)


# long: one all-or-nothing referral, its contract in the docstring and its transaction in order
def officer_referral_open(
    *,
    actor: Actor,
    victim: ReferredVictim,
    victimizations: list[str],
    consent: str,
    urgent: bool = False,
    report_number: str = "",
    note: str = "",
    lethality: ScreenAnswers | None = None,
    specialist: SpecialistRequest | None = None,
    site_url: str = "",
) -> Case:
    """Open a case from an officer's referral, all or nothing, and alert the on-call specialist
    after the commit. With `specialist`, the officer asks for a specialist to come: a call-out
    on the new case (crisis.services.callout_request_from_scene), whose own alert asks the
    on-call specialist to go. With `lethality`, the officer's lethality screen is recorded on
    the case in the same transaction; high danger makes the case high priority.

    Refused without intake.scene_referral (analysts, auditors) and for the system actor (a
    referral is somebody's). The case is received now, from an officer referral, created by the
    referrer, high priority when `urgent`, and assigned to the on-call specialist or, with
    nobody (able to be) on call, left in the unassigned queue. A police report is not required.
    A bad phone or email, a missing consent answer, no way to reach the victim, or no
    victimization type, or a screen that does not fit (lethality.services.screen_validate),
    raises a ValidationError naming the field, and nothing is saved. `site_url` is the address
    staff open Haven at, for the link in the alert.
    """
    actor.require(Perm.SCENE_REFERRAL)
    if actor.is_system:
        raise PermissionDenied("A referral is made by a member of the agency.")
    note = note.strip()
    high_danger = _check_referral(
        victim=victim, consent=consent, note=note, lethality=lethality, specialist=specialist
    )
    referring = _ReferringActor.lending(actor, LENT)
    with transaction.atomic():
        on_call = on_call_specialist(actor.agency)
        new_case = NewCase(
            source=CaseSource.OFFICER_REFERRAL,
            received_at=timezone.now(),
            victimizations=victimizations,
            report_number=report_number,
            priority=_priority(urgent=urgent, high_danger=high_danger),
            narrative=_narrative(
                actor=actor, consent=consent, urgent=urgent, note=note, high_danger=high_danger
            ),
        )
        case = case_intake(
            actor=referring, victim=_new_victim(victim), case=new_case, assignee=on_call
        )
        details = {
            "consent": consent,
            "urgent": urgent,
            "priority": case.priority,
            "assignee": on_call.pk if on_call else None,
            "report_number_given": bool(case.report_number),
        } | _screen_and_callout(
            actor, case, lethality=lethality, specialist=specialist, site_url=site_url
        )
        audit_record(actor=actor, action=AuditAction.SCENE_REFERRAL, obj=case, details=details)
        transaction.on_commit(partial(referral_alert, case.pk, actor.agency.pk, site_url))
    return case


def _check_referral(
    *,
    victim: ReferredVictim,
    consent: str,
    note: str,
    lethality: ScreenAnswers | None,
    specialist: SpecialistRequest | None,
) -> bool:
    """Refuse a referral that does not fit (every field's problem at once); whether its
    lethality screen screens in (high danger)."""
    errors = {}
    if consent not in Consent.values:
        errors["consent"] = "Say whether the victim agrees to be contacted by victim services."
    if len(note) > NOTE_LIMIT:
        errors["note"] = f"Keep the note to {NOTE_LIMIT} characters."
    if not victim.phone.strip() and not victim.email.strip() and not note:
        errors["phone"] = (
            "Give a phone number or an email, or say in the note how victim services can "
            "reach the victim."
        )
    if victim.phone.strip():
        try:
            normalize_phone(victim.phone.strip())
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if specialist is not None and specialist.place not in Place.values:
        errors["callout_place"] = "Say where the specialist should come."
    high_danger = False
    if lethality is not None:
        try:
            screen_validate(lethality)
        except ValidationError as exc:
            errors |= exc.message_dict
        else:
            high_danger = screen_score(lethality).screened_in
    if errors:
        raise ValidationError(errors)
    return high_danger


def _new_victim(victim: ReferredVictim) -> NewVictim:
    return NewVictim(
        first_name=victim.first_name,
        last_name=victim.last_name,
        preferred_language=victim.preferred_language,
        interpreter_needed=victim.interpreter_needed,
        phone=victim.phone.strip(),
        ok_voicemail=victim.ok_voicemail,
        ok_text=victim.ok_text,
        safe_from=victim.safe_from,
        safe_until=victim.safe_until,
        phone_safety_note=_phone_safety_note(victim),
        email=victim.email.strip(),
    )


def _screen_and_callout(
    actor: Actor,
    case: Case,
    *,
    lethality: ScreenAnswers | None,
    specialist: SpecialistRequest | None,
    site_url: str,
) -> dict:
    """Record the officer's lethality screen and ask for a specialist to come, on the new case;
    what was made, for the referral's audit event."""
    details = {}
    if lethality is not None:
        screen = lethality_screen_record(
            actor=_ReferringActor.lending(actor, SCREEN_LENT),
            case=case,
            screen=lethality,
            at_scene=True,
            site_url=site_url,
        )
        details["lethality_screen"] = screen.pk
    if specialist is not None:
        callout = callout_request_from_scene(
            actor=actor,
            case=case,
            place=specialist.place,
            place_detail=specialist.place_detail,
            site_url=site_url,
        )
        details["callout"] = callout.pk
    return details


@dataclass(frozen=True)
class ReferralReceipt:
    """All an officer learns of the case they referred: its number, its priority, who will
    reach out and how to reach them."""

    case_number: str
    high_priority: bool
    specialist: str  # "" while nobody has the case
    specialist_phone: str
    unit_name: str
    unit_phone: str
    # The officer's lethality screen: whether one was recorded, whether it screened in (the
    # protocol: call the hotline now), and whether the victim already spoke with the hotline.
    screen_recorded: bool = False
    high_danger: bool = False
    spoke_with_hotline: bool = False
    # Where the officer asked a specialist to come ("" when they did not ask).
    specialist_coming_to: str = ""
    # The victim's language, for the card the officer prints for them.
    victim_language: str = "en"


def referred_case(actor: Actor, case_id) -> Case:
    """A case this member referred from the scene; 404 for any other case, theirs otherwise or
    not, so the receipt cannot be used to probe."""
    actor.require(Perm.SCENE_REFERRAL)
    if actor.is_system:
        raise Http404("No such referral.")
    try:
        return Case.objects.select_related("assigned_to__user", "primary_victim", "agency").get(
            pk=int(case_id),
            agency=actor.agency,
            source=CaseSource.OFFICER_REFERRAL,
            created_by=actor.membership,
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No such referral.") from None


def referral_receipt(actor: Actor, case_id) -> ReferralReceipt:
    """The receipt of a referral this member made (referred_case: 404 otherwise). The look-up
    is audited like a served-status one."""
    case = referred_case(actor, case_id)
    audit_record(
        actor=actor,
        action=AuditAction.SERVED_STATUS_VIEW,
        obj=case,
        details={"via": "referral receipt"},
    )
    specialist = case.assigned_to
    screen = referral_screen(case)
    callout = CallOut.objects.filter(agency=actor.agency, case=case).first()
    return ReferralReceipt(
        case_number=case.number,
        high_priority=case.priority == Priority.HIGH,
        specialist=specialist.display_name if specialist else "",
        specialist_phone=_shown_phone(specialist.phone) if specialist else "",
        unit_name=actor.agency.name,
        unit_phone=_shown_phone(actor.agency.phone),
        screen_recorded=screen is not None,
        high_danger=screen is not None and screen.screened_in,
        spoke_with_hotline=screen is not None
        and screen.victim_spoke_with_hotline == SpokeWithHotline.YES,
        specialist_coming_to=callout.get_place_display().lower() if callout else "",
        victim_language=case.primary_victim.preferred_language,
    )


def _shown_phone(value: str) -> str:
    try:
        return display_phone(normalize_phone(value)) if value else ""
    except ValidationError:
        return value


def agency_set_on_call(*, actor: Actor, on_call: Membership | None, phone: str) -> Agency:
    """Say who takes officer referrals now (or nobody), and the unit's phone that officers and
    victims are given when nobody is on call.

    Refused without case.assign (supervisors and coordinators): who gets the next referral is
    an assignment decision. The on-call member must be an active specialist of this agency; the
    phone must be a real number (kept in its readable national form).
    """
    actor.require(Perm.CASE_ASSIGN)
    agency = actor.agency
    errors = {}
    if on_call is not None and (
        on_call.agency_id != agency.pk
        or not on_call.is_active
        or on_call.role not in CASEWORKER_ROLES
    ):
        errors["on_call"] = "Choose an active specialist of this agency."
    phone = phone.strip()
    if phone:
        try:
            phone = display_phone(normalize_phone(phone))
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    changed = []
    if agency.on_call_id != (on_call.pk if on_call else None):
        changed.append("on_call")
    if agency.phone != phone:
        changed.append("phone")
    if not changed:
        return agency
    with transaction.atomic():
        agency.on_call = on_call
        agency.phone = phone
        agency.save(update_fields=["on_call", "phone"])
        audit_record(
            actor=actor,
            action=AuditAction.ON_CALL_SET,
            obj=agency,
            details={"fields": changed, "on_call": on_call.pk if on_call else None},
        )
    return agency
