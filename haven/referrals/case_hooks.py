"""Partner referrals still waiting, on a case's closing checklist (cases/hooks.py)."""

from collections.abc import Iterable

from django.urls import reverse

from haven.cases.hooks import OpenItem
from haven.cases.models import Case
from haven.referrals.models import OPEN_STATUSES, Referral


def open_referrals(case: Case) -> Iterable[OpenItem]:
    waiting = Referral.objects.filter(case=case, status__in=OPEN_STATUSES)
    for referral in waiting.select_related("organization").order_by("created_at"):
        yield OpenItem(
            key=f"referral:{referral.pk}",
            kind="Referral waiting",
            title=f"{referral.organization.name} ({referral.get_status_display().lower()})",
            url=reverse("referrals:detail", args=[referral.pk]),
        )


def register() -> None:
    from haven.cases import hooks

    hooks.register_open_items("referrals", open_referrals)
