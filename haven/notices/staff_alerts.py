"""Email and text to staff and partners (issue 17, item 5): every alert Haven sends to a
person who is not the victim goes through this outbox, and the worker sends it with retries.

- `staff_alert_queue(...)` writes one StaffAlert row per recipient and channel, in the
  caller's transaction, and kicks the worker after commit. Idempotent on `dedupe_key`.
- The worker (`alerts_send_due`, from the huey tasks in tasks.py) claims each due row with a
  conditional UPDATE, hands it to the mail server or SMS provider and records the result.
  A transient failure (server down, timeout, Twilio 5xx) waits 1, 5, 30 minutes and 2 hours;
  the 5th failure, or a refusal (address refused, Twilio 4xx), is final.
- A final failure is never silent: the row says *failed* with the reason, the case's timeline
  says so, a task on the case goes to a supervisor (or, for a partner's referral email, to the
  case's specialist), and the supervisors' *Messages to handle* page lists it.

Unlike a message to a victim, an alert whose worker died mid-send is sent again (a duplicate
alert to a colleague harms nobody; a lost one may). Quiet hours do not apply: the on-call
specialist is meant to be woken.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from haven.agencies.models import Agency, Membership
from haven.agencies.roles import Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, CaseEvent, CaseEventKind
from haven.cases.services import task_add
from haven.core.actor import Actor
from haven.core.scoping import agency_scope, all_agencies
from haven.notices import sms
from haven.notices.models import AlertChannel, AlertStatus, NoticeSettings, StaffAlert

logger = logging.getLogger(__name__)

BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = 5
LEASE = timedelta(minutes=10)

# What each kind is, for staff (the timeline, tasks, the messages page).
KINDS = {
    "referral_alert": "officer-referral alert",
    "lethality_alert": "high-danger alert",
    "partner_referral": "referral email to the partner",
    "invitation": "invitation to Haven",
    "member_left": "notice that a member left",
    "clock_digest": "24-hour clock digest",
    "followup_digest": "follow-up digest",
    "mou_reminder": "MOU reminder",
    "text_reply": "text reply from a victim",
    "text_queue": "text on the agency's list",
}
# Kinds whose failure the case's specialist must act on (the rest go to a supervisor).
SPECIALIST_KINDS = {"partner_referral"}


class AlertError(Exception):
    def __init__(self, text: str, *, permanent: bool):
        super().__init__(text)
        self.permanent = permanent


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind.replace("_", " "))


def _key(dedupe_key: str, who: str) -> str:
    digest = hashlib.sha256(who.encode()).hexdigest()[:16]
    return f"{dedupe_key[:180]}:{digest}"


def staff_alert_queue(
    *,
    agency: Agency,
    kind: str,
    subject: str,
    body: str,
    dedupe_key: str,
    to_members: Iterable[Membership] = (),
    to_addresses: Iterable[str] = (),
    sms_members: Iterable[Membership] = (),
    sms_text: str = "",
    case: Case | None = None,
    source: str = "",
) -> list[StaffAlert]:
    """Queue an alert: an email to each member (with an address) and each address, a text
    (`sms_text`) to each of `sms_members` with a phone. The same `dedupe_key` again queues
    nothing new and returns the rows made before. Sent by the worker after commit."""
    now = timezone.now()
    planned = [(AlertChannel.EMAIL, m, m.user.email, body) for m in to_members if m.user.email] + [
        (AlertChannel.EMAIL, None, a, body) for a in to_addresses if a
    ]
    if sms_text:
        planned += [(AlertChannel.SMS, m, m.phone, sms_text) for m in sms_members if m.phone]
    rows = []
    with agency_scope(agency), transaction.atomic():
        for channel, member, destination, text in planned:
            key = _key(dedupe_key, f"{channel}:{destination}")
            fields = dict(
                kind=kind,
                case=case,
                source=source[:200],
                recipient=member,
                destination=destination,
                subject=subject[:300],
                body=text,
                next_attempt_at=now,
                created_at=now,
            )
            try:
                with transaction.atomic():
                    row = StaffAlert.objects.create(
                        agency=agency, channel=channel, dedupe_key=key, **fields
                    )
            except IntegrityError:
                row = StaffAlert.objects.get(agency=agency, channel=channel, dedupe_key=key)
            rows.append(row)
        if rows:
            transaction.on_commit(lambda: _kick(agency.pk))
    return rows


def _kick(agency_id: int) -> None:
    from haven.notices.tasks import staff_alerts_kick

    try:
        staff_alerts_kick(agency_id)
    except Exception:  # the every-minute sweep sends it
        logger.exception("Could not kick the staff-alert worker.")


# ---------------------------------------------------------------- the worker


def _requeue_stale(now: datetime) -> None:
    """A claim older than the lease: the worker died. Queue it again (see the module doc)."""
    with all_agencies():
        StaffAlert.objects.filter(status=AlertStatus.SENDING, claimed_at__lte=now - LEASE).update(
            status=AlertStatus.QUEUED, claim_token="", next_attempt_at=now
        )


def alerts_send_due(
    *, now: datetime | None = None, batch: int = 100, agency_id: int | None = None
) -> int:
    """Claim and send up to `batch` due alerts; returns how many left. Safe with any number
    of workers (each row is claimed by one conditional UPDATE)."""
    now = now or timezone.now()
    _requeue_stale(now)
    with all_agencies():
        due = StaffAlert.objects.filter(status=AlertStatus.QUEUED, next_attempt_at__lte=now)
        if agency_id is not None:
            due = due.filter(agency_id=agency_id)
        ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", "agency_id")[:batch])
    sent = 0
    for pk, alert_agency in ids:
        with agency_scope(alert_agency):
            sent += alert_send_one(pk, now=now)
    return sent


def alert_send_one(pk: int, *, now: datetime) -> bool:
    token = uuid.uuid4().hex
    claimed = StaffAlert.objects.filter(
        pk=pk, status=AlertStatus.QUEUED, next_attempt_at__lte=now
    ).update(
        status=AlertStatus.SENDING,
        claim_token=token,
        claimed_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return False
    alert = StaffAlert.objects.select_related("agency", "case", "recipient__user").get(pk=pk)
    try:
        _deliver(alert)
    except AlertError as exc:
        _failed(alert, token, str(exc), permanent=exc.permanent)
        return False
    StaffAlert.objects.filter(pk=pk, claim_token=token).update(
        status=AlertStatus.SENT, sent_at=timezone.now(), claim_token="", last_error=""
    )
    return True


def _deliver(alert: StaffAlert) -> None:
    if alert.channel == AlertChannel.SMS:
        config = NoticeSettings.objects.filter(agency=alert.agency).first()
        sender = (config.sms_sender if config else "") or settings.HAVEN_SMS_FROM
        try:
            sms.get_provider().send(to=alert.destination, body=alert.body, sender=sender)
        except sms.SmsError as exc:
            raise AlertError(str(exc), permanent=exc.permanent) from None
        return
    email = EmailMessage(
        subject=alert.subject,
        body=alert.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[alert.destination],
        headers={"Message-ID": f"<haven-alert-{alert.agency_id}-{alert.pk}@haven.invalid>"},
    )
    try:
        with get_connection(timeout=30) as connection:
            connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as exc:
        raise AlertError(f"The mail server refused the address ({exc}).", permanent=True) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise AlertError(f"Mail server trouble: {exc}", permanent=False) from None


def _failed(alert: StaffAlert, token: str, error: str, *, permanent: bool) -> None:
    now = timezone.now()
    final = permanent or alert.attempts >= MAX_ATTEMPTS
    if final:
        fields = {"status": AlertStatus.FAILED, "next_attempt_at": None}
    else:
        wait = BACKOFF[min(alert.attempts, len(BACKOFF)) - 1]
        fields = {"status": AlertStatus.QUEUED, "next_attempt_at": now + wait}
    with transaction.atomic():
        updated = StaffAlert.objects.filter(
            pk=alert.pk, claim_token=token, status=AlertStatus.SENDING
        ).update(**fields, last_error=error[:500], claim_token="")
        if updated and final:
            alert.last_error = error[:500]
            _make_failure_visible(alert)


def _who(alert: StaffAlert) -> str:
    if alert.recipient_id:
        return alert.recipient.display_name
    return "the partner" if alert.kind == "partner_referral" else "the recipient"


def _supervisor(agency: Agency) -> Membership | None:
    return (
        Membership.objects.filter(
            agency=agency, is_active=True, role__in=[Role.SUPERVISOR, Role.COORDINATOR]
        )
        .order_by("role", "pk")  # "coordinator" < "supervisor": a supervisor when there is one
        .last()
    )


def _make_failure_visible(alert: StaffAlert) -> None:
    """The timeline line, the audit row and the task (on the case, when there is one)."""
    system = Actor.system(alert.agency, "staff alerts")
    what = f"The {alert.get_channel_display().lower()} ({kind_label(alert.kind)}) to {_who(alert)}"
    audit_record(
        actor=system,
        action=AuditAction.STAFF_ALERT_FAILED,
        obj=alert,
        details={"kind": alert.kind, "channel": alert.channel, "attempts": alert.attempts},
    )
    if alert.case is None:
        return  # listed on the supervisors' Messages to handle page
    CaseEvent.objects.create(
        agency_id=alert.agency_id,
        case=alert.case,
        kind=CaseEventKind.NOTICE,
        at=timezone.now(),
        data={"summary": f"{what} failed"},
    )
    assignee = None if alert.kind in SPECIALIST_KINDS else _supervisor(alert.agency)
    try:
        task = task_add(
            actor=system,
            case=alert.case,
            title=f"{what} failed: make sure they know"[:200],
            due_at=timezone.now(),
            assignee=assignee,
        )
    except ValidationError:
        return  # a closed case: the page lists the failure
    StaffAlert.objects.filter(pk=alert.pk).update(task=task)


# ---------------------------------------------------------------- reads


def alerts_for_source(source: str) -> list[StaffAlert]:
    """The alerts about one record (e.g. a partner referral), newest first."""
    return list(StaffAlert.objects.filter(source=source).order_by("-created_at", "-id"))


def failed_alerts(agency: Agency, *, since_days: int = 30) -> list[StaffAlert]:
    """Failed alerts of the last `since_days` days, for the supervisors' page."""
    since = timezone.now() - timedelta(days=since_days)
    return list(
        StaffAlert.objects.filter(agency=agency, status=AlertStatus.FAILED, updated_at__gte=since)
        .select_related("case", "recipient__user")
        .order_by("-updated_at")
    )
