"""The status pages of a case, for the specialist's section on the case page."""

from django.utils import timezone

from haven.cases.models import Case
from haven.portal.models import StatusPage
from haven.portal.texts import page_language


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
        # A language the page has no words in: it shows in English (the specialist is told).
        page.fell_back = page_language(page.person.preferred_language) == "en" and (
            page.person.preferred_language != "en"
        )
    return pages
