from django.conf import settings


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
