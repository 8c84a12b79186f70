"""Partner referrals still waiting, on a case's closing checklist (cases/hooks.py); and the
referrals about a case or person, whose reads their "who has opened this" lists include."""

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


def referrals_about(agency_id: int, case_ids: list[int], person_ids: list[int]):
    about = Referral.objects.filter(agency_id=agency_id, case_id__in=case_ids)
    if person_ids:
        about = about.filter(person_id__in=person_ids)
    return (("referrals.referral", pk) for pk in about.values_list("pk", flat=True))


def register() -> None:
    from haven.audit.reads import register_read_objects
    from haven.cases import hooks

    hooks.register_open_items("referrals", open_referrals)
    register_read_objects("referrals", referrals_about)
