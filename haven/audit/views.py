from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from haven.audit.models import AuditAction
from haven.audit.selectors import audit_events_visible_to, verify_chain
from haven.audit.services import audit_record
from haven.core.decorators import staff_view
from haven.core.roles import Perm


@staff_view(Perm.AUDIT_VIEW)
def audit_log(request):
    events = audit_events_visible_to(request.actor)
    action = request.GET.get("action", "")
    actor_label = request.GET.get("actor", "").strip()
    object_id = request.GET.get("object_id", "").strip()
    if action:
        events = events.filter(action=action)
    if actor_label:
        events = events.filter(actor_label__iexact=actor_label)
    if object_id:
        events = events.filter(object_id=object_id)
    page = Paginator(events.order_by(F("seq").desc(nulls_first=True), "-id"), 100).get_page(
        request.GET.get("page")
    )
    audit_record(
        actor=request.actor,
        action=AuditAction.AUDIT_VIEW,
        object_type="audit.auditevent",
        details={"filters": {"action": action, "actor": actor_label, "object_id": object_id}},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "actions": AuditAction.choices,
            "action": action,
            "actor_label": actor_label,
            "object_id": object_id,
            "query": query.urlencode(),
        },
    )


@require_POST
@staff_view(Perm.AUDIT_VIEW)
def audit_verify(request):
    chain = str(request.actor.agency.pk)
    checked, broken = verify_chain(chain)
    if broken:
        messages.error(request, f"The access log is broken at {broken}.")
    else:
        messages.success(request, f"The access log is intact: {checked} events verified.")
    audit_record(
        actor=request.actor,
        action=AuditAction.AUDIT_VERIFY,
        object_type="audit.auditevent",
        details={"checked": checked, "intact": broken is None},
    )
    return redirect("audit:log")
