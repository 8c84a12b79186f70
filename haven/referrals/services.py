"""Every change to a partner referral. Each service takes the acting member (or, for the
partner's link, an actor labelled "partner via link"), checks permission, guards the status,
validates, and in one transaction moves the referral, writes its ReferralEvent, the case
timeline line and the audit event. Mail goes out after commit.

Nothing identifying leaves Haven without a release of information in force that covers it:
sending asks the consent gate (haven/consent/gate.py) first, and so does every view of and
every answer through the partner's link (haven/referrals/partner.py). The e-mail itself never
carries identifying data, only "a new referral from <agency>" and the link.
"""
# long: the partner referral's moves, one service per transition (Primero's shape)

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, CasePerson
from haven.consent.gate import Disclosure, consent_in_force, consent_require
from haven.core.actor import Actor
from haven.core.scoping import agency_scope
from haven.documents.models import Document
from haven.documents.selectors import documents_on_case
from haven.lib.languages import in_english
from haven.lib.tokens import new_token
from haven.notices.services import message_queue
from haven.notices.staff_alerts import staff_alert_queue
from haven.partners import needs
from haven.partners.models import Service, ServiceStatus
from haven.people.models import Person
from haven.referrals import events
from haven.referrals.models import (
    ANSWERS,
    OPEN_STATUSES,
    PARTNER_LABEL,
    WITH_PARTNER,
    Referral,
    ReferralEvent,
    ReferralLink,
    ReferralStatus,
    Urgency,
    Via,
)

# How long a link to the partner works; resending makes a new one.
LINK_DAYS = 14
# A sent referral the partner has not answered in this long expires.
ANSWER_DAYS = 14
MESSAGE_LIMIT = 2000
ANSWER_LIMIT = 2000
# The consent.DataCategory values a referral may share. "safety_plan" is never shared through a
# link: the plan is printed and handed over by the person themselves.
SHAREABLE = ("identity", "contact", "location", "case_facts", "service_needs", "notes")
# About the case (its primary victim), not about whichever person is referred.
CASE_WIDE = ("case_facts", "notes")
ENDED = "This referral has ended."


def disclosure_for(referral: Referral, channel: str = "referral") -> Disclosure:
    """What sending this referral to its partner (or showing it behind their link, channel
    "partner_link") discloses, as the consent gate reads it."""
    return Disclosure(
        person=referral.person,
        recipient_organization=referral.organization,
        purpose="referral",
        categories=frozenset(referral.categories),
        channel=channel,
        case=referral.case,
    )


def partner_actor(agency, *, ip: str | None, user_agent: str = "") -> Actor:
    """Who acts behind a partner's link: nobody signed in; the access log says "partner via
    link" and the address. Used only by the partner's page, for the gate and the log."""
    return Actor(agency=agency, system_label=PARTNER_LABEL, ip=ip, user_agent=user_agent[:300])


def _label(actor: Actor) -> str:
    if actor.membership is not None:
        return actor.membership.display_name
    return actor.label


def _via(actor: Actor) -> str:
    if actor.membership is not None:
        return Via.STAFF
    return Via.PARTNER_LINK if actor.label == PARTNER_LABEL else Via.SYSTEM


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update()
        .select_related("organization", "service", "case", "person")
        .get(pk=referral.pk)
    )


def _move(
    actor: Actor, referral: Referral, to_status: str, *, now: datetime, note: str = ""
) -> ReferralEvent:
    """Move a locked referral, stamp the time, write its event and the case timeline line."""
    from_status = referral.status
    referral.status = to_status
    changed = ["status", "updated_at"]
    stamp = {
        ReferralStatus.CONSENTED: "consented_at",
        ReferralStatus.SENT: "sent_at",
        ReferralStatus.ACCEPTED: "answered_at",
        ReferralStatus.DECLINED: "answered_at",
        ReferralStatus.SERVICE_STARTED: "started_at",
    }.get(to_status)
    if stamp and getattr(referral, stamp) is None:
        setattr(referral, stamp, now)
        changed.append(stamp)
    if to_status not in OPEN_STATUSES:
        referral.closed_at = now
        changed.append("closed_at")
    referral.updated_at = now
    referral.save(update_fields=changed)
    event = ReferralEvent.objects.create(
        agency_id=referral.agency_id,
        referral=referral,
        from_status=from_status,
        to_status=to_status,
        at=now,
        via=_via(actor),
        actor=actor.membership,
        actor_label=_label(actor)[:150],
        note=note,
    )
    events.referral_line(actor, referral, ReferralStatus(to_status).label.lower())
    return event


def _revoke_links(referral: Referral, now: datetime) -> int:
    return ReferralLink.objects.filter(referral=referral, revoked_at__isnull=True).update(
        revoked_at=now
    )


def _check_text(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError({field: f"Keep it to {limit} characters."})
    return value


# Proposing.


# long: consent checks (release in force, family members) before one audited write
def referral_propose(
    *,
    actor: Actor,
    case: Case,
    service: Service,
    need: str,
    categories: list[str] | frozenset[str],
    person: Person | None = None,
    urgency: str = Urgency.ROUTINE,
    message: str = "",
    documents: Iterable[int] = (),
) -> Referral:
    """Write a referral of the case's victim (or a person served on the case) to a partner's
    service. It is "consented" at once when a release in force already covers it, else
    "proposed" until one does. Nothing is sent yet.

    Refused without case.work, for another agency's case or service, on a closed case, for a
    person not served on the case, an inactive partner, an unknown need or urgency, and when
    nothing (or something never shared by link) is chosen to share; documents that are not
    shareable documents on this case the actor may read.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    actor.require_own(service)
    if not case.is_open:
        raise ValidationError(
            gettext("This case is closed. Reopen it to refer the person to a partner.")
        )
    person = person or case.primary_victim
    actor.require_own(person)
    if (
        person.pk != case.primary_victim_id
        and not CasePerson.objects.filter(case=case, person=person, is_served=True).exists()
    ):
        raise ValidationError(
            {"person": gettext("Refer the victim or a person served on this case.")}
        )
    organization = service.organization
    errors = {}
    if not organization.is_active or service.status != ServiceStatus.ACTIVE:
        errors["service"] = "This service is not active in the partner directory."
    if need not in dict(needs.choices()):
        errors["need"] = "Choose what the person needs."
    if urgency not in Urgency.values:
        errors["urgency"] = "Choose how urgent it is."
    chosen = sorted(set(categories))
    if not chosen:
        errors["categories"] = "Choose what the partner may see (at least who the person is)."
    elif not set(chosen) <= set(SHAREABLE):
        errors["categories"] = "Safety plans are not shared through a partner referral."
    elif person.pk != case.primary_victim_id and set(chosen) & set(CASE_WIDE):
        # The case's notes and facts are about its primary victim: a family member's release
        # cannot open them.
        errors["categories"] = (
            "Case facts and notes are about the case's victim: share them only when referring "
            "that person."
        )
    included = _documents_to_include(actor, case, documents)
    if isinstance(included, str):
        errors["documents"] = included
    if errors:
        raise ValidationError(errors)
    message = _check_text(message, "message", MESSAGE_LIMIT)
    now = timezone.now()
    referral = Referral(
        agency=case.agency,
        case=case,
        person=person,
        service=service,
        organization=organization,
        need=need,
        urgency=urgency,
        categories=chosen,
        message=message,
        created_by=actor.membership,
        created_at=now,
        updated_at=now,
    )
    referral.full_clean()
    # Only asks; no audit, no raise. Sending asks again, for real.
    release = consent_in_force(actor=actor, disclosure=disclosure_for(referral))
    with transaction.atomic():
        referral.save()
        referral.documents.set(included)
        ReferralEvent.objects.create(
            agency_id=referral.agency_id,
            referral=referral,
            to_status=ReferralStatus.PROPOSED,
            at=now,
            via=_via(actor),
            actor=actor.membership,
            actor_label=_label(actor)[:150],
        )
        events.referral_line(actor, referral, f"proposed ({needs.label(need)})")
        if release is not None:
            _move(actor, referral, ReferralStatus.CONSENTED, now=now)
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_REFERRAL_PROPOSE,
            obj=referral,
            details={
                "case": case.pk,
                "service": service.pk,
                "organization": organization.pk,
                "need": need,
                "categories": chosen,
                "documents": [d.pk for d in included],
                "status": referral.status,
            },
        )
    return referral


def shareable_documents(actor: Actor, case: Case) -> list[Document]:
    """The documents of the case a referral may include: shareable ones the actor may read
    (a privileged document never leaves Haven, whatever a release says)."""
    return [d for d in documents_on_case(actor, case) if not d.is_privileged]


def _documents_to_include(actor: Actor, case: Case, chosen: Iterable[int]) -> list[Document] | str:
    """The chosen documents, or what is wrong with the choice."""
    wanted = {int(pk) for pk in chosen}
    if not wanted:
        return []
    found = [d for d in shareable_documents(actor, case) if d.pk in wanted]
    if len(found) != len(wanted):
        return (
            "Include only documents on this case that are shareable with consent: privileged "
            "documents never leave Haven."
        )
    return found


# Sending, and the partner's link.


def _recipient(referral: Referral) -> str:
    return referral.service.email or referral.organization.email


def _link_url(referral: Referral, token: str, site_url: str | None) -> str:
    path = reverse("referrals:partner", args=[referral.case.agency.slug, token])
    # Always absolute: the configured address, else the one the request came in at, else the
    # default (settings.SITE_URL is never empty).
    configured = settings.SITE_URL if getattr(settings, "SITE_URL_SET", True) else ""
    return (configured or site_url or settings.SITE_URL).rstrip("/") + path


def _mail_link(referral: Referral, link: ReferralLink, token: str, site_url: str | None):
    """The mail to the partner: the agency and the link, never a name or anything about the
    person (it crosses the internet in clear and sits in a shared inbox)."""
    agency = referral.case.agency.name
    url = _link_url(referral, token, site_url)
    until = dateformat.format(timezone.localtime(link.expires_at, referral.case.agency.tz), "F j")
    body = (
        f"You have a new referral from {agency}.\n\n"
        f"Open it here to see the details the person agreed to share and to answer:\n{url}\n\n"
        f"The link works until {until}. Do not forward it. If you were not expecting it, "
        f"reply to tell {agency}.\n"
    )
    # Through the staff-alert outbox, in this transaction: the worker sends it with retries, a
    # failure shows on the referral and the case (a task for the specialist), and a mail
    # server that is down never answers the specialist with an error (issue 17, item 5).
    staff_alert_queue(
        agency=referral.case.agency,
        kind="partner_referral",
        case=referral.case,
        source=referral_source(referral),
        subject=f"New referral from {agency}",
        body=body,
        to_addresses=[link.sent_to],
        dedupe_key=f"partner_referral:link:{link.pk}",
    )


def referral_source(referral: Referral) -> str:
    """The outbox's name for a referral (notices.staff_alerts.alerts_for_source)."""
    return f"referrals.referral:{referral.pk}"


def _new_link(actor: Actor, referral: Referral, now: datetime) -> tuple[ReferralLink, str]:
    token, digest = new_token()
    link = ReferralLink.objects.create(
        agency_id=referral.agency_id,
        referral=referral,
        digest=digest,
        created_at=now,
        created_by=actor.membership,
        expires_at=now + timedelta(days=LINK_DAYS),
        sent_to=_recipient(referral),
    )
    return link, token


def referral_send(
    *, actor: Actor, referral: Referral, site_url: str | None = None, mail: bool = True
) -> tuple[Referral, str]:
    """Send the referral: the consent gate must find a release in force covering this person,
    this partner, the purpose "referral" and every category chosen. Then the partner is mailed
    a link (the token is returned once, for the caller's confirmation; only its digest is kept).
    mail=False mails nothing (the demo loader).

    Refused (ConsentRefused, the gate audits it; the referral stays unsent) without such a
    release. Refused without case.work, for another agency's referral, once sent or ended, and
    when the partner has no email address.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(referral)
    if referral.status not in (ReferralStatus.PROPOSED, ReferralStatus.CONSENTED):
        raise ValidationError(gettext("This referral was already sent or has ended."))
    if not _recipient(referral):
        raise ValidationError(
            gettext(
                "The partner has no email address in the directory. Add one to the service or "
                "the organization, or call them and record their answer here."
            )
        )
    # Outside our transaction: a refusal raises, and the gate's audit of it must stay.
    release = consent_require(actor=actor, disclosure=disclosure_for(referral))
    now = timezone.now()
    with transaction.atomic():
        referral = _locked(referral)
        if referral.status not in (ReferralStatus.PROPOSED, ReferralStatus.CONSENTED):
            raise ValidationError(gettext("This referral was already sent or has ended."))
        referral.release = release
        referral.save(update_fields=["release"])
        if referral.status == ReferralStatus.PROPOSED:
            _move(actor, referral, ReferralStatus.CONSENTED, now=now)
        _move(actor, referral, ReferralStatus.SENT, now=now)
        link, token = _new_link(actor, referral, now)
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_REFERRAL_SEND,
            obj=referral,
            details={
                "case": referral.case_id,
                "organization": referral.organization_id,
                "release": release.pk,
                "categories": referral.categories,
                "link": link.pk,
            },
        )
        if mail:
            _mail_link(referral, link, token, site_url)
    return referral, token


def referral_link_resend(
    *, actor: Actor, referral: Referral, site_url: str | None = None
) -> tuple[ReferralLink, str]:
    """Mail the partner a new link (the old one stops working), e.g. when it expired or went to
    the wrong inbox. Asks the consent gate again. Refused without case.work, for another
    agency's referral, when the partner is not (or no longer) working on it, and without
    a release in force."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(referral)
    if referral.status not in WITH_PARTNER:
        raise ValidationError(gettext("Only a referral the partner is working on has a link."))
    if not _recipient(referral):
        raise ValidationError(gettext("The partner has no email address in the directory."))
    release = consent_require(actor=actor, disclosure=disclosure_for(referral))
    now = timezone.now()
    with transaction.atomic():
        referral = _locked(referral)
        if referral.status not in WITH_PARTNER:
            raise ValidationError(gettext("Only a referral the partner is working on has a link."))
        revoked = _revoke_links(referral, now)
        link, token = _new_link(actor, referral, now)
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_REFERRAL_LINK,
            obj=referral,
            details={"link": link.pk, "revoked": revoked, "release": release.pk},
        )
        _mail_link(referral, link, token, site_url)
    return link, token


def referral_link_revoke(*, actor: Actor, referral: Referral) -> int:
    """Stop the partner's link from working at once (the referral itself goes on; the
    specialist can record answers, or resend). Refused without case.work, for another agency's
    referral, and when no link is live."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(referral)
    now = timezone.now()
    with transaction.atomic():
        referral = _locked(referral)
        revoked = _revoke_links(referral, now)
        if not revoked:
            raise ValidationError(gettext("This referral has no link to revoke."))
        events.referral_line(actor, referral, "partner's link revoked")
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_REFERRAL_UNLINK,
            obj=referral,
            details={"revoked": revoked},
        )
    return revoked


# Answers and endings.


def _answer_guard(referral: Referral, to_status: str, note: str) -> str:
    allowed = ANSWERS.get(referral.status)
    if not allowed:
        if referral.status in (ReferralStatus.PROPOSED, ReferralStatus.CONSENTED):
            raise ValidationError(gettext("This referral has not been sent to the partner yet."))
        raise ValidationError(ENDED)
    if to_status not in allowed:
        names = " or ".join(ReferralStatus(s).label.lower() for s in sorted(allowed))
        raise ValidationError(
            {
                "status": f"The referral is {referral.get_status_display().lower()}: "
                f"it can now be marked {names}."
            }
        )
    note = _check_text(note, "note", ANSWER_LIMIT)
    if to_status == ReferralStatus.DECLINED and not note:
        raise ValidationError({"note": gettext("Say why the partner declined.")})
    return note


def _apply_answer(actor: Actor, referral: Referral, to_status: str, note: str) -> Referral:
    """Inside a transaction, on a locked referral whose answer is checked."""
    now = timezone.now()
    _move(actor, referral, to_status, now=now, note=note)
    fields = ["answered_by"]
    referral.answered_by = _label(actor)[:150]
    if note:
        referral.answer = note
        fields.append("answer")
    referral.save(update_fields=fields)
    if to_status not in OPEN_STATUSES:
        _revoke_links(referral, now)
    if to_status == ReferralStatus.ACCEPTED:
        _tell_person_accepted(actor, referral)
    return referral


def _tell_person_accepted(actor: Actor, referral: Referral) -> None:
    """After commit, let the person know the partner accepted: the notices app queues it over
    their safe channel, in their language, or not at all when no channel is safe. Its failure
    never undoes the partner's answer (robust: logged)."""
    agency = referral.case.agency
    case, person = referral.case, referral.person
    facts = {
        "organization": referral.organization.name,
        "service": referral.service.name,
        "status": in_english(lambda: ReferralStatus.ACCEPTED.label),
    }
    key = f"referral:{referral.pk}:accepted"

    def queue():
        with agency_scope(agency), transaction.atomic():
            message_queue(
                actor=Actor.system(agency, "referrals"),
                case=case,
                person=person,
                template="referral_update",
                facts=facts,
                dedupe_key=key,
                source=f"referrals.referral:{referral.pk}",
            )

    transaction.on_commit(queue, robust=True)


def referral_answer_record(
    *, actor: Actor, referral: Referral, status: str, note: str = ""
) -> Referral:
    """Record the partner's answer as the specialist heard it (a phone call): accepted or
    declined (with the reason), then service started, then completed or no-show.

    Refused without case.work, for another agency's referral, before it is sent, after it
    ended, for a step that does not follow the current one, and a decline without a reason.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(referral)
    with transaction.atomic():
        referral = _locked(referral)
        from_status = referral.status
        note = _answer_guard(referral, status, note)
        _apply_answer(actor, referral, status, note)
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_REFERRAL_ANSWER,
            obj=referral,
            details={"case": referral.case_id, "from": from_status, "to": status, "via": "staff"},
        )
    return referral


def referral_partner_answer(
    *, actor: Actor, link: ReferralLink, status: str, note: str = ""
) -> Referral:
    """The partner's answer through their link. The caller (haven/referrals/partner.py) has
    asked the consent gate; here the link must still be live and the step must follow.
    Refused for a revoked or expired link and as referral_answer_record refuses."""
    now = timezone.now()
    with transaction.atomic():
        link = ReferralLink.objects.select_for_update().get(pk=link.pk)
        if not link.is_live(now):
            raise ValidationError(gettext("This link no longer works. Ask the unit for a new one."))
        referral = _locked(link.referral)
        from_status = referral.status
        note = _answer_guard(referral, status, note)
        _apply_answer(actor, referral, status, note)
        ReferralLink.objects.filter(pk=link.pk).update(last_used_at=now)
        audit_record(
            actor=None,
            agency_id=referral.agency_id,
            actor_label=PARTNER_LABEL,
            ip=actor.ip,
            action=AuditAction.PARTNER_REFERRAL_ANSWER,
            obj=referral,
            details={
                "case": referral.case_id,
                "from": from_status,
                "to": status,
                "via": "partner_link",
                "link": link.pk,
            },
        )
    return referral


def referral_withdraw(*, actor: Actor, referral: Referral, reason: str) -> Referral:
    """Call the referral off (the person changed their mind, found help elsewhere, the
    partner could not be reached). The partner's link stops working at once.

    Refused without case.work, for another agency's referral, once ended, and without a reason.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(referral)
    reason = _check_text(reason, "reason", ANSWER_LIMIT)
    if not reason:
        raise ValidationError({"reason": gettext("Say why the referral is withdrawn.")})
    with transaction.atomic():
        referral = _locked(referral)
        if referral.status not in OPEN_STATUSES:
            raise ValidationError(ENDED)
        from_status = referral.status
        _move(actor, referral, ReferralStatus.WITHDRAWN, now=timezone.now(), note=reason)
        revoked = _revoke_links(referral, referral.closed_at)
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_REFERRAL_WITHDRAW,
            obj=referral,
            details={"case": referral.case_id, "from": from_status, "revoked": revoked},
        )
    return referral


def referrals_expire(*, agency, now: datetime | None = None) -> int:
    """Expire the agency's referrals sent more than ANSWER_DAYS ago that the partner never
    answered; their links stop working. Each row is claimed with a conditional update, so any
    number of workers can run this at once. Returns how many expired."""
    now = now or timezone.now()
    actor = Actor.system(agency, "referrals.expire")
    cutoff = now - timedelta(days=ANSWER_DAYS)
    due = list(
        Referral.objects.filter(
            agency=agency, status=ReferralStatus.SENT, sent_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    expired = 0
    for pk in due:
        with transaction.atomic():
            claimed = Referral.objects.filter(pk=pk, status=ReferralStatus.SENT).update(
                status=ReferralStatus.EXPIRED, closed_at=now, updated_at=now
            )
            if not claimed:
                continue  # answered meanwhile, or another worker got it
            referral = Referral.objects.select_related("organization").get(pk=pk)
            ReferralEvent.objects.create(
                agency_id=referral.agency_id,
                referral=referral,
                from_status=ReferralStatus.SENT,
                to_status=ReferralStatus.EXPIRED,
                at=now,
                via=Via.SYSTEM,
                actor_label=actor.label,
            )
            events.referral_line(actor, referral, f"expired, no answer in {ANSWER_DAYS} days")
            _revoke_links(referral, now)
            audit_record(
                actor=actor,
                action=AuditAction.PARTNER_REFERRAL_EXPIRE,
                obj=referral,
                details={"case": referral.case_id},
            )
            expired += 1
    return expired
