from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse


def client_ip(request) -> str | None:
    """The caller's address: REMOTE_ADDR, or the entry our own proxies added to X-Forwarded-For."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        addresses = [a.strip() for a in forwarded.split(",")]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR") or None


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response whose view set no Cache-Control of its own.

    Pages, API answers, PDFs and exports all carry victim data for someone; the few pages that
    do not (the sign-in page) lose nothing by not being cached. Static files are answered by
    WhiteNoise before this runs and keep their long cache. A view that sets its own header
    (a calendar feed, say) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


class NulCharacterMiddleware:
    """Refuse an address holding a NUL character (`%00`) with a 400 that says so.

    PostgreSQL cannot store or compare a string with NUL in it, so such a search term reached a
    query and failed as a server error; SQLite took it. Forms and the API's fields refuse NUL
    themselves (Django's ProhibitNullCharactersValidator); the query string is checked here,
    once, for every view.
    """

    MESSAGE = "The address holds a NUL character (%00). Remove it and try again."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": self.MESSAGE}, status=400)
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
