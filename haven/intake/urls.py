from django.http import HttpResponseRedirect
from django.urls import path, reverse

from haven.intake import views


class _Moved(HttpResponseRedirect):
    # 308: permanent, and a form posted to the old address is posted again to the new one.
    status_code = 308


def moved_to(name: str):
    """A redirect from an address people have bookmarked (or on printed cards) to its new one."""

    def view(request):
        query = request.META.get("QUERY_STRING", "")
        return _Moved(reverse(name) + (f"?{query}" if query else ""))

    return view


app_name = "intake"
urlpatterns = [
    # The specialist's intake.
    path("cases/new/", views.case_new, name="case_new"),
    # The officer's referral from the scene. It lived under /referrals/, which is now only the
    # partner referrals' (haven.referrals): the old addresses redirect.
    path("refer/", views.scene_referral, name="scene_referral"),
    path("refer/received/", views.scene_referral_received, name="scene_referral_received"),
    path("referrals/new/", moved_to("intake:scene_referral")),
    path("referrals/received/", moved_to("intake:scene_referral_received")),
    # Who is on call for scene referrals (the manual choice under the on-call roster).
    path("agency/on-call/", views.on_call, name="on_call"),
]
