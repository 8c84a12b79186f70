"""The specialist's side of the status page, on the case page (section "Status page"): offer
it, choose what it shows, send a new link, revoke it. Buttons and forms that post and go back
to the case."""

from functools import partial

from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.cases.access import access_case
from haven.cases.panels import panel_url
from haven.core.decorators import staff_view
from haven.core.form_views import action_view, form_view
from haven.justice.selectors import custody_events_of
from haven.justice.services import victims_of
from haven.portal import services
from haven.portal.access import access_page
from haven.portal.forms import OfferForm, ReleaseForm
from haven.portal.services import Offered


def _back(case_id: int) -> str:
    return panel_url(case_id, "portal")


def _sent(offered: Offered) -> str:
    if offered.sent_by:
        return f"Status page link sent by {' and '.join(offered.sent_by)}."
    return (
        "No phone or email is marked safe for texts or mail, so nothing was sent. Give them "
        f"this link yourself (it is shown only now): {offered.url}"
    )


def _release_args(d: dict) -> dict:
    return {
        "dob_allowed": d["dob_allowed"],
        "show_court": d["show_court"],
        "show_compensation": d["show_compensation"],
        "show_referrals": d["show_referrals"],
        "custody_ids": [int(pk) for pk in d["custody"]],
        "next_steps": d["next_steps"],
    }


@require_POST
@staff_view(Perm.CASE_WORK)
def offer(request, case_id: int):
    case = access_case(request.actor, case_id, write=True)
    people = {p.pk: p for p in victims_of(case)}
    form = OfferForm(request.POST, people=people.values(), custody_events=custody_events_of(case))

    def perform(d):
        return services.page_offer(
            actor=request.actor,
            case=case,
            person=people[d["person"]],
            days=d["days"],
            **_release_args(d),
        )

    return form_view(request, form, perform, done=_sent, then=_back(case.pk))


@require_POST
@staff_view(Perm.CASE_WORK)
def release(request, page_id: int):
    page = access_page(request.actor, page_id, write=True)
    custody = custody_events_of(page.case)
    form = ReleaseForm(request.POST, custody_events=custody, prefix=f"p{page.pk}")
    perform = partial(services.page_release, actor=request.actor, page=page)
    return form_view(
        request,
        form,
        lambda d: perform(**_release_args(d)),
        done="The status page now shows what you chose.",
        then=_back(page.case_id),
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def new_link(request, page_id: int):
    page = access_page(request.actor, page_id, write=True)
    perform = partial(services.page_new_link, actor=request.actor, page=page)
    return action_view(request, perform, done=_sent, then=_back(page.case_id))


@require_POST
@staff_view(Perm.CASE_WORK)
def revoke(request, page_id: int):
    page = access_page(request.actor, page_id, write=True)
    perform = partial(services.page_revoke, actor=request.actor, page=page)
    done = "Status page revoked: its link no longer works."
    return action_view(request, perform, done=done, then=_back(page.case_id))
