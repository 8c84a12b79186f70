from django.http import HttpResponseRedirect
from django.urls import path, reverse

from haven.agencies.roles import Perm
from haven.core.decorators import staff_view
from haven.intake import case_card_views, views


def moved_to(name: str, *, posts_to=None):
    """The address a page had before the intake app (bookmarked, on printed cards): a GET is
    redirected to its new address; with `posts_to`, a form opened there before the move and
    sent after it is still taken (the redirect of a POST would lose what the officer typed)."""

    # For those who may refer only, like the pages themselves; others sign in first.
    @staff_view(Perm.SCENE_REFERRAL)
    def view(request):
        if posts_to is not None and request.method == "POST":
            return posts_to(request)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(reverse(name) + (f"?{query}" if query else ""))

    return view


app_name = "intake"
urlpatterns = [
    # The specialist's intake.
    path("cases/new/", views.case_new, name="case_new"),
    # The officer's referral from the scene. It lived under /referrals/, which is now only the
    # partner referrals' (haven.referrals): the old addresses redirect.
    path("refer/", views.scene_referral, name="scene_referral"),
    path("refer/received/", views.scene_referral_received, name="scene_referral_received"),
    path("refer/received/text/", views.scene_referral_card_text, name="scene_referral_card_text"),
    # Staff send the same card from the case page.
    path("cases/<int:case_id>/card-text/", case_card_views.case_card_text, name="case_card_text"),
    path("referrals/new/", moved_to("intake:scene_referral", posts_to=views.scene_referral)),
    path("referrals/received/", moved_to("intake:scene_referral_received")),
    # Who is on call for scene referrals (the manual choice under the on-call roster).
    path("agency/on-call/", views.on_call, name="on_call"),
]
