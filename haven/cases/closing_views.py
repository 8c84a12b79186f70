"""The closing checklist page (closing.py): what is still open on the case, each to resolve
now or carry past the closing, then the close."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haven.agencies.roles import Perm
from haven.cases import hooks
from haven.cases.access import access_case
from haven.cases.closing import CARRY, RESOLVE, Decision, case_close_checked
from haven.cases.models import CloseReason
from haven.core.decorators import staff_view


class ClosingForm(forms.Form):
    close_reason = forms.ChoiceField(choices=CloseReason.choices, label=_("Why it closes"))
    reason = forms.CharField(max_length=200, required=False, label=_("In words"))


def closing_url(case_id: int, close_reason: str = "", reason: str = "") -> str:
    query = urlencode({k: v for k, v in (("close_reason", close_reason), ("reason", reason)) if v})
    return reverse("cases:close", args=[case_id]) + (f"?{query}" if query else "")


def _decisions(post, items) -> dict[str, Decision]:
    found = {}
    for item in items:
        choice = post.get(f"decision-{item.key}", "")
        if choice in (RESOLVE, CARRY):
            found[item.key] = Decision(choice, post.get(f"note-{item.key}", "").strip()[:500])
    return found


@staff_view(Perm.CASE_WORK)
def case_close(request, case_id: int):
    """GET: the open items and the close form. POST: every item answered, then closed."""
    posting = request.method == "POST"
    case = access_case(request.actor, case_id, write=posting)
    items = hooks.open_items(case)
    form = ClosingForm(request.POST if posting else None, initial=request.GET.dict())
    errors: list[str] = []
    if posting and form.is_valid():
        try:
            case_close_checked(
                actor=request.actor,
                case=case,
                close_reason=form.cleaned_data["close_reason"],
                reason=form.cleaned_data["reason"],
                decisions=_decisions(request.POST, items),
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"Case {case.number} closed.")
            return redirect("cases:detail", case_id=case.pk)
    chosen = {item.key: request.POST.get(f"decision-{item.key}", "") for item in items}
    notes = {item.key: request.POST.get(f"note-{item.key}", "") for item in items}
    rows = [(item, chosen[item.key], notes[item.key]) for item in items]
    return render(
        request,
        "cases/close.html",
        {"case": case, "form": form, "rows": rows, "errors": errors},
        status=400 if posting else 200,
    )
