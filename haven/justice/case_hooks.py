"""What justice adds to a case's next action and to its closing checklist (cases/hooks.py):
court dates ahead and victims' rights still owed."""

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils import timezone

from haven.cases.hooks import NextAction, OpenItem, case_page_url
from haven.cases.models import Case
from haven.justice.models import (
    CourtEvent,
    CourtEventKind,
    CourtEventStatus,
    ObligationStatus,
    RightsObligation,
)

AHEAD = (CourtEventStatus.SCHEDULED, CourtEventStatus.CONTINUED)


def _court_ahead(case_ids):
    return CourtEvent.objects.filter(
        case__in=case_ids, status__in=AHEAD, scheduled_at__gte=timezone.now()
    )


def _owed(case_ids):
    return RightsObligation.objects.filter(case__in=case_ids, status=ObligationStatus.OPEN)


def _case_url(case_id: int) -> str:
    from haven.cases.panels import panel_url  # the case page's forms: not at startup

    return panel_url(case_id, "justice")


def next_justice(cases: Sequence[Case]) -> Iterable[NextAction]:
    """One query for court dates ahead, one for rights owed."""
    ids = [c.pk for c in cases]
    from haven.cases.panels import panel_suffix  # the case page's forms: not at startup

    case_url = case_page_url()
    in_panel = panel_suffix("justice")
    for event in _court_ahead(ids).only("id", "case_id", "kind", "scheduled_at"):
        yield NextAction(
            event.case_id,
            "Court date",
            str(CourtEventKind(event.kind).label),  # not get_kind_display(): see followup's
            event.scheduled_at,
            case_url(event.case_id) + in_panel,
        )
    obligations = reverse("justice:obligations")
    for owed in _owed(ids).only("id", "case_id", "right", "due_at"):
        yield NextAction(owed.case_id, "Right owed", owed.right, owed.due_at, obligations)


def open_justice(case: Case) -> Iterable[OpenItem]:
    for event in _court_ahead([case.pk]).order_by("scheduled_at"):
        yield OpenItem(
            key=f"court-event:{event.pk}",
            kind="Court date ahead",
            title=event.get_kind_display(),
            when=event.scheduled_at,
            url=_case_url(case.pk),
        )
    for owed in _owed([case.pk]).order_by("due_at"):
        yield OpenItem(
            key=f"obligation:{owed.pk}",
            kind="Right owed",
            title=owed.right,
            when=owed.due_at,
            url=reverse("justice:obligations"),
        )


def register() -> None:
    from haven.cases import hooks

    hooks.register_next_actions("justice", next_justice)
    hooks.register_open_items("justice", open_justice)
