"""What justice adds to a case's next action and to its closing checklist (cases/hooks.py):
court dates ahead and victims' rights still owed."""

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils import timezone

from haven.cases.hooks import NextAction, OpenItem
from haven.cases.models import Case
from haven.justice.models import CourtEvent, CourtEventStatus, ObligationStatus, RightsObligation

AHEAD = (CourtEventStatus.SCHEDULED, CourtEventStatus.CONTINUED)


def _court_ahead(case_ids):
    return CourtEvent.objects.filter(
        case__in=case_ids, status__in=AHEAD, scheduled_at__gte=timezone.now()
    )


def _owed(case_ids):
    return RightsObligation.objects.filter(case__in=case_ids, status=ObligationStatus.OPEN)


def _case_urls():
    """The case page's address with the court panel open, per case id."""
    from haven.cases.panels import panel_urls  # the case page's forms: not at startup

    return panel_urls("justice")


def next_justice(cases: Sequence[Case]) -> Iterable[NextAction]:
    """One query for court dates ahead, one for rights owed."""
    ids = [c.pk for c in cases]
    case_url = _case_urls()
    for event in _court_ahead(ids).only("id", "case_id", "kind", "scheduled_at"):
        yield NextAction(
            event.case_id,
            "Court date",
            event.get_kind_display(),
            event.scheduled_at,
            case_url(event.case_id),
        )
    obligations = reverse("justice:obligations")
    for owed in _owed(ids).only("id", "case_id", "right", "due_at"):
        yield NextAction(owed.case_id, "Right owed", owed.right, owed.due_at, obligations)


def open_justice(case: Case) -> Iterable[OpenItem]:
    case_url = _case_urls()
    for event in _court_ahead([case.pk]).order_by("scheduled_at"):
        yield OpenItem(
            key=f"court-event:{event.pk}",
            kind="Court date ahead",
            title=event.get_kind_display(),
            when=event.scheduled_at,
            url=case_url(case.pk),
        )
    obligations = reverse("justice:obligations")
    for owed in _owed([case.pk]).order_by("due_at"):
        yield OpenItem(
            key=f"obligation:{owed.pk}",
            kind="Right owed",
            title=owed.right,
            when=owed.due_at,
            url=obligations,
        )


def register() -> None:
    from haven.cases import hooks

    hooks.register_next_actions("justice", next_justice)
    hooks.register_open_items("justice", open_justice)
