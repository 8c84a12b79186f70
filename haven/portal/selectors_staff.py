"""The status pages of a case, for the specialist's section on the case page."""

from django.utils import timezone

from haven.cases.models import Case
from haven.portal.models import StatusPage


def pages_of(case: Case) -> list[StatusPage]:
    pages = list(
        StatusPage.objects.filter(case=case)
        .select_related("person", "created_by__user")
        .prefetch_related("custody")
        .order_by("-created_at")
    )
    now = timezone.now()
    for page in pages:
        page.live = page.is_live(now)
        page.released_custody = [str(r.custody_event_id) for r in page.custody.all()]
    return pages
