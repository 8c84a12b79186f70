"""Checks every compensation service shares: the case is in the actor's caseload, an amount is
dollars and cents, a day is not in the future."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor

CENT = Decimal("0.01")
AMOUNT = re.compile(r"-?\d+(\.\d{1,2})?")  # digits, at most two decimals; no exponent
DECIMALS = re.compile(r"-?\d*\.\d+")
LARGEST = Decimal("99999999.99")


def money(value, field: str, *, allow_zero: bool = False) -> Decimal:
    """A positive amount in dollars and cents, or a ValidationError on `field` saying so."""
    text = str(value).replace(",", "").replace("$", "").strip()
    if not AMOUNT.fullmatch(text):
        if DECIMALS.fullmatch(text):
            raise ValidationError(
                {field: gettext("Enter dollars and cents, at most two decimals.")}
            )
        raise ValidationError({field: f"Enter an amount like 1250.00, not {value!r}."})
    amount = Decimal(text)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: gettext("Enter an amount greater than zero.")})
    if amount > LARGEST:
        raise ValidationError({field: gettext("That amount is too large: check it.")})
    return amount.quantize(CENT)


def require_case(actor: Actor, case: Case) -> None:
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("That case is outside your caseload.")


def not_future(day: date | None, field: str, what: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: f"The {what} cannot be in the future."})
