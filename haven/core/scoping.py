"""Tenant scoping: which agency's rows a block of code may touch.

The web request gets its scope from ActorMiddleware. Management commands and background tasks
open one themselves with `agency_scope(agency)`, or `all_agencies()` where a command really
works across tenants (migrations of data, audit verification, the demo loader).
"""

from contextlib import contextmanager

from django_scopes import scope, scopes_disabled


@contextmanager
def agency_scope(agency_or_id):
    agency_id = getattr(agency_or_id, "pk", agency_or_id)
    if agency_id is None:
        # django-scopes reads None as "no filter": never let that happen by accident.
        raise ValueError("agency_scope needs an agency")
    with scope(agency=agency_id):
        yield


@contextmanager
def all_agencies():
    with scopes_disabled():
        yield
