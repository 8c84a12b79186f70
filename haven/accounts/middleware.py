"""The sign-in shell's middleware: a signed-in user becomes an agency member (request.actor)."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation

from haven.agencies.selectors import active_membership_for
from haven.core.actor import Actor
from haven.core.middleware import client_ip
from haven.core.scoping import agency_scope
from haven.core.two_factor import needs_second_factor, open_before_second_factor


class ActorMiddleware:
    """Sets request.actor, and runs the rest of the request inside its agency's scope and
    time zone. A request without an agency runs with no scope: any tenant query raises."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if needs_second_factor(request):
            # Fails closed: no actor, so no agency scope, until the code is given.
            if open_before_second_factor(request.path):
                return self.get_response(request)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Complete the second sign-in step."}, status=403)
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('two_factor')}?{query}")
        chosen = request.session.get("agency_id")
        membership = active_membership_for(user, chosen)
        if chosen is not None and (membership is None or membership.agency_id != chosen):
            # The membership this session works in was deactivated or its agency suspended
            # since sign-in: the session ends now, whatever the session store still holds.
            logout(request)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Your session has ended."}, status=401)
            return redirect(f"{reverse('login')}?ended=1")
        if membership is None:
            return self.get_response(request)
        request.actor = Actor.for_membership(
            membership,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        timezone.activate(membership.agency.tz)
        try:
            with agency_scope(membership.agency):
                return self.get_response(request)
        finally:
            timezone.deactivate()


# How often a signed-in session is written to keep it alive: its expiry moves to
# SESSION_COOKIE_AGE after the last write, so the idle timeout is kept to within this.
SESSION_TOUCH_SECONDS = 60


def session_touched(session) -> None:
    """Mark the session written now (a sign-in saves it): the next write is a minute away."""
    session[TOUCHED_KEY] = int(time.time())


TOUCHED_KEY = "_touched"


class SessionTouchMiddleware:
    """The idle timeout without a write on every request: a session in use is saved (its
    expiry pushed SESSION_COOKIE_AGE on) at most once every SESSION_TOUCH_SECONDS, instead of
    Django's SESSION_SAVE_EVERY_REQUEST. A session idle for SESSION_COOKIE_AGE (less up to a
    minute) has expired. Sits right after SessionMiddleware, which does the saving."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None or session.is_empty():
            return response  # no session yet (or signed out): nothing to keep alive
        # A session saved anyway (a sign-in, a message) starts the minute again.
        since = int(time.time()) - session.get(TOUCHED_KEY, 0)
        if session.modified or since >= SESSION_TOUCH_SECONDS:
            session_touched(session)
        return response


# Pages for victims and partners, in their own languages (haven.public, haven.portal,
# haven.notices' opt-out, haven.reports' survey, haven.referrals' partner page): the staff
# member's language must never leak into them, so they run in English (Django's part of them)
# and choose their words themselves, as before.
OWN_LANGUAGE_PREFIXES = ("/help/", "/my/", "/n/", "/s/", "/partner/")


class MemberLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, deciding the language differently: the signed-in member's
    chosen language (Membership.language) where it is one of LANGUAGES, else English
    (LANGUAGE_CODE). The browser's Accept-Language and a language cookie are never read, so a
    shared desk's browser settings do not change a member's screens; victim pages
    (OWN_LANGUAGE_PREFIXES) are left to their own mechanism."""

    def process_request(self, request):
        language = settings.LANGUAGE_CODE
        actor = getattr(request, "actor", None)
        if actor is not None and not request.path.startswith(OWN_LANGUAGE_PREFIXES):
            chosen = actor.membership.language
            if chosen and chosen in dict(settings.LANGUAGES):
                language = chosen
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # No Vary: Accept-Language (the header decides nothing); a victim page that set its
        # own Content-Language keeps it.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
