from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from haven.agencies.roles import Role
from haven.core.sudo import grant_sudo

HOME_BY_ROLE = {
    Role.ADVOCATE: "cases:caseload",
    Role.SUPERVISOR: "cases:list",
    Role.COORDINATOR: "cases:list",
    Role.OFFICER: "cases:served",
    Role.ANALYST: "cases:overview",
    Role.AUDITOR: "audit:log",
}


@login_required
def home(request):
    """Each role lands on the page it works from."""
    if request.actor is None:
        return render(request, "core/no_agency.html", status=403)
    return redirect(HOME_BY_ROLE[request.actor.role])


@login_required
def reconfirm(request):
    """Ask for the password again before a sensitive act (sudo mode)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    error = ""
    if request.method == "POST":
        user = authenticate(
            request, username=request.user.get_username(), password=request.POST.get("password", "")
        )
        if user is not None and user.pk == request.user.pk:
            grant_sudo(request)
            return redirect(next_url)
        error = "That password is not right."
    return render(
        request,
        "core/reconfirm.html",
        {"next": next_url, "error": error},
        status=400 if error else 200,
    )
