"""Funding sources, members' time splits and deposits into emergency funds. Each service
checks permission, validates, and in one transaction saves and writes its audit event.
Emergency assistance requests are in funding/emergency.py."""

from collections import Counter
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from haven.agencies.models import Membership
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.core.versions import check_version, lock_version, save_versioned
from haven.funding.models import (
    EmergencyFund,
    FundDeposit,
    FundingKind,
    FundingSource,
    TimeSplit,
)

HUNDRED = Decimal("100")
MAX_DEPOSIT = Decimal("1000000")


def money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _check_source(actor: Actor, source, name, kind, period_start, period_end, amount) -> dict:
    errors = {}
    if not name:
        errors["name"] = "Give the grant or fund a name (e.g. VOCA 2026 subaward)."
    elif (
        FundingSource.objects.filter(agency=actor.agency, name__iexact=name)
        .exclude(pk=getattr(source, "pk", None))
        .exists()
    ):
        errors["name"] = f"There is already a funding source named {name!r}: choose another name."
    if kind not in FundingKind.values:
        errors["kind"] = f"Choose a kind: {', '.join(map(str, FundingKind.labels))}."
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = "The period ends before it starts: check the dates."
    if amount is not None and amount < 0:
        errors["amount"] = "The award amount cannot be negative; leave it empty if unknown."
    return errors


def funding_source_save(
    *,
    actor: Actor,
    source: FundingSource | None = None,
    name: str,
    kind: str,
    period_start: date,
    period_end: date,
    award_number: str = "",
    amount: Decimal | None = None,
    is_default: bool = False,
    version: int | None = None,
) -> FundingSource:
    """Add a funding source (source=None) or change one. Coordinators only (agency.configure).

    Refused: an empty or duplicate name (case-insensitive), an unknown kind, a period that ends
    before it starts, a negative amount; a change, when the source was saved since `version`
    (StaleEdit, nothing written). Making one the default unmarks the agency's previous
    default in the same transaction.
    """
    actor.require(Perm.AGENCY_CONFIGURE)
    if source is not None:
        actor.require_own(source)
        check_version(source, version)
    name = (name or "").strip()
    errors = _check_source(actor, source, name, kind, period_start, period_end, amount)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        creating = source is None
        if not creating:
            lock_version(source, version)
        if is_default:
            FundingSource.objects.filter(agency=actor.agency, is_default=True).exclude(
                pk=getattr(source, "pk", None)
            ).update(is_default=False)
        source = source or FundingSource(agency=actor.agency)
        source.name = name
        source.kind = kind
        source.award_number = (award_number or "").strip()
        source.period_start = period_start
        source.period_end = period_end
        source.amount = amount
        source.is_default = is_default
        if creating:
            source.save()
        else:
            own = ["name", "kind", "award_number", "period_start", "period_end", "amount"]
            save_versioned(source, version=version, fields=[*own, "is_default"])
        audit_record(
            actor=actor,
            action=AuditAction.FUNDING_SOURCE_SAVE,
            obj=source,
            details={"name": name, "kind": kind, "default": is_default},
        )
    return source


def _check_lines(member, effective_from, lines) -> None:
    when = f"{effective_from:%b} {effective_from.day}, {effective_from.year}"
    period = f"The split of {member.display_name} from {when}"
    if not lines:
        raise ValidationError(f"{period} has no lines: give at least one source and its percent.")
    for source, percent in lines:
        if percent is None or not Decimal("0") < percent <= HUNDRED:
            raise ValidationError(
                f"{period}: give {source.name} a percent above 0 and at most 100."
            )
    twice = [source.name for source, n in Counter(s for s, _ in lines).items() if n > 1]
    if twice:
        raise ValidationError(
            f"{period} names {', '.join(twice)} twice: give each source once, with its total."
        )
    total = sum((percent for _, percent in lines), Decimal("0"))
    if total != HUNDRED:
        raise ValidationError(
            f"{period} adds up to {total.normalize():f} %, not 100 %: "
            "change the percents so they add up to 100."
        )


def time_split_set(
    *,
    actor: Actor,
    member: Membership,
    effective_from: date,
    lines: list[tuple[FundingSource, Decimal]],
) -> list[TimeSplit]:
    """Set how a member's time is split across funding sources from `effective_from` on (until
    their next split). The lines replace any the member already has from that same date.

    Refused: without agency.configure; a member or source of another agency; no lines; a
    percent not above 0 or above 100; a source named twice; lines that do not add up to
    exactly 100 (the message names the member, the period and the sum).
    """
    actor.require(Perm.AGENCY_CONFIGURE)
    actor.require_own(member)
    for source, _ in lines:
        actor.require_own(source)
    _check_lines(member, effective_from, lines)
    with transaction.atomic():
        TimeSplit.objects.filter(
            agency=actor.agency, member=member, effective_from=effective_from
        ).delete()
        splits = TimeSplit.objects.bulk_create(
            TimeSplit(
                agency=actor.agency,
                member=member,
                source=source,
                effective_from=effective_from,
                percent=percent,
                set_by=actor.membership,
            )
            for source, percent in lines
        )
        audit_record(
            actor=actor,
            action=AuditAction.TIME_SPLIT_SET,
            obj=member,
            details={
                "from": effective_from.isoformat(),
                "lines": {str(source.pk): str(percent) for source, percent in lines},
            },
        )
    return splits


def fund_deposit(
    *,
    actor: Actor,
    source: FundingSource,
    amount: Decimal,
    deposited_on: date,
    note: str = "",
) -> FundDeposit:
    """Put money in the emergency fund of a funding source (the fund is opened on the first
    deposit). Coordinators only. Refused: an amount not above 0 or above $1,000,000, a source
    of another agency."""
    actor.require(Perm.AGENCY_CONFIGURE)
    actor.require_own(source)
    if amount is None or not Decimal("0") < amount <= MAX_DEPOSIT:
        raise ValidationError(
            {"amount": f"Give an amount above $0 and at most {money(MAX_DEPOSIT)}."}
        )
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": gettext("Keep the note to 200 characters.")})
    with transaction.atomic():
        fund, _ = EmergencyFund.objects.get_or_create(agency=actor.agency, source=source)
        EmergencyFund.objects.filter(pk=fund.pk).update(balance=F("balance") + amount)
        deposit = FundDeposit.objects.create(
            agency=actor.agency,
            fund=fund,
            amount=amount,
            deposited_on=deposited_on,
            note=note,
            made_by=actor.membership,
        )
        audit_record(
            actor=actor,
            action=AuditAction.FUND_DEPOSIT,
            obj=fund,
            details={"amount": str(amount), "source": source.pk},
        )
    return deposit
