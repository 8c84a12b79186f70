"""The case page's button that sends the officer's card to the victim as a text (card_text.py):
for staff who work the case, through the same service, consent and safety checks as the
officer's receipt."""

from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.cases.access import access_case
from haven.core.decorators import staff_view
from haven.core.form_views import action_view
from haven.intake.card_text import victim_card_text_send


def _sent(made) -> str:
    statuses = ", ".join(str(m.get_status_display()).lower() for m in made)
    return _("The officer's card went to the victim as a text: %(status)s.") % {"status": statuses}


@require_POST
@staff_view(Perm.CASE_WORK)
def case_card_text(request, case_id: int):
    """Refused (shown as an error) without a phone marked OK to text or the victim's recorded
    yes; a second send sends nothing new. Audited by the service (case.card_text)."""
    case = access_case(request.actor, case_id, write=True)
    send = partial(
        victim_card_text_send,
        actor=request.actor,
        case=case,
        consent_now=request.POST.get("consent_now") == "on",
    )
    then = reverse("cases:detail", args=[case.pk]) + "#card-text"
    return action_view(request, send, done=_sent, then=then)
