"""The case page's body, rendered once and reused until the case changes.

A specialist opens the same case again and again during a call: back from the person's page,
after a reload, from the caseload. Its body (everything below the header bar) costs most of the
page's time to build and render; the case's stamp (cases/page_stamp.py), which the database
changes whenever a row the page shows changes, tells when a rendered body is still right.

The key holds everything else the body depends on: the stamp, the reader (membership and role:
what they may see and do), their language, the agency's settings, and the browser's CSRF secret
(the body's forms carry tokens made from it). A body is kept at most LIFETIME seconds: what
changes with time alone (the first-contact clock, a task falling due, the contact form's "now")
or lives on rows no trigger watches (a colleague's name, a follow-up rule's title:
page_stamp.PAGE_READS_UNSTAMPED) is never older than that, as if the page had been opened a
minute earlier.

Only a plain view is reused: not a form coming back with errors, not `?panel=`, `?form=` or
`?timeline=all`, not an htmx swap. The read is audited and access checked on every view before
this runs (access_case). The cache is each server process's own memory (settings.CACHES,
"case_pages"), never a shared store: the body holds a victim's details.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.core.exceptions import ObjectDoesNotExist
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from haven.cases.models import Case

CACHE = "case_pages"
LIFETIME = 60  # seconds


def _digest(value) -> str:
    return hashlib.blake2b(repr(value).encode(), digest_size=8).hexdigest()


def body_key(request, case: Case) -> str | None:
    """The key of this view's body, or None when it must be rendered afresh."""
    if request.method != "GET" or request.GET or getattr(request, "htmx", False):
        return None
    secret = request.META.get("CSRF_COOKIE")
    if not secret:  # a new secret is made while rendering: the tokens would be another's
        return None
    try:
        stamp = case.page_stamp.stamp
    except ObjectDoesNotExist:
        return None
    agency = case.agency
    membership = request.actor.membership
    if membership is None:
        return None
    settings = [getattr(agency, field.attname) for field in agency._meta.concrete_fields]
    return ":".join(
        (
            str(case.pk),
            stamp,
            str(membership.pk),
            membership.role,
            translation.get_language() or "",
            _digest(settings),
            _digest(secret),
        )
    )


def cached_body(request, case: Case, render: Callable[[], str]) -> SafeString:
    """The body `render` makes, from the cache when this view's key is there."""
    key = body_key(request, case)
    if key is None:
        return render()
    cache = caches[CACHE]
    body = cache.get(key)
    if body is None:
        body = render()
        cache.set(key, str(body), LIFETIME)
    return mark_safe(body)  # noqa: S308 (the body Django's templates rendered and escaped)
