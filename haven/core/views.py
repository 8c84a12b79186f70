from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from haven.agencies.roles import Role

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
