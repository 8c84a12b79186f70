"""Where a form sends the user back to."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_or(request: HttpRequest, default: str) -> str:
    """The form's `next` when it points into Haven itself, else `default`: never an open
    redirect to another site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def site_root(request: HttpRequest) -> str:
    """This installation's own address, without the last slash: links in mail start with it."""
    return request.build_absolute_uri("/").rstrip("/")
