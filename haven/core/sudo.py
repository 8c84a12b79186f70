"""Sudo mode: before an export or another sensitive act, the user types their password again.
The confirmation holds for SUDO_MINUTES in this session only."""

import time
from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

SUDO_MINUTES = 30
_KEY = "sudo_until"


def grant_sudo(request) -> None:
    request.session[_KEY] = time.time() + SUDO_MINUTES * 60


def in_sudo(request) -> bool:
    return request.session.get(_KEY, 0) > time.time()


def sudo_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not in_sudo(request):
            return redirect(
                f"{reverse('reconfirm')}?{urlencode({'next': request.get_full_path()})}"
            )
        return view(request, *args, **kwargs)

    return wrapper
