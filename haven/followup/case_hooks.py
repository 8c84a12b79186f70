"""What follow-up adds to My caseload's "next action" (cases/hooks.py): each case's next
check-in or court accompaniment not yet done, in one query for the whole caseload."""

from collections.abc import Iterable, Sequence

from haven.cases.hooks import NextAction, case_page_url
from haven.cases.models import Case
from haven.followup.models import FollowUp


def next_followups(cases: Sequence[Case]) -> Iterable[NextAction]:
    pending = FollowUp.objects.filter(case__in=[c.pk for c in cases], done_at__isnull=True)
    case_url = case_page_url()
    for f in pending.only("id", "case_id", "kind", "due_at"):
        url = case_url(f.case_id) + "#follow-up"
        yield NextAction(f.case_id, "Follow-up", f.get_kind_display(), f.due_at, url)


def register() -> None:
    from haven.cases import hooks

    hooks.register_next_actions("followup", next_followups)
