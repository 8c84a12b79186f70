from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from haven.core.roles import Perm


def staff_view(perm: Perm | None = None):
    """A page for a signed-in member of an agency, optionally holding one permission.

    Signed out: to the sign-in page. Signed in without an active membership: a page that says
    so. Lacking the permission: 403 (the page exists for other roles; records still 404).
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            actor = request.actor
            if actor is None:
                return render(request, "core/no_agency.html", status=403)
            if perm is not None and not actor.has(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def secret_address(view):
    """For a page whose address holds a secret token (a partner's link, a survey's): the token
    must not leave the site in a Referer, and no answer is stored or indexed. Same-origin, not
    no-referrer: under no-referrer Chromium sends `Origin: null` with the page's own form, and
    Django's CSRF check refuses the answer."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper
