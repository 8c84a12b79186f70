"""One way to write a form view (STYLE 15; docs/architecture.md, "Writing a form view").

A view holds only what differs: the decorators that guard it, the access call, the form it
binds, the service it calls, the words it says and where it goes. These helpers do the
rest the same way everywhere:

- `bind_form`: the form bound to a POST, or blank with its initial values (read only then).
- `form_view`: a form that is shown (GET) and posted. A valid post calls the service; its
  `ValidationError` lands on the form (on the field it names, else at the top). Success
  flashes `done` and redirects to `then`; for an htmx request with a `partial`, the partial
  comes back instead. A refused form is shown again with its errors (400), or, for a form
  that lives on another page and has no page of its own (`page=None`), its errors are
  flashed and the browser goes back to `then`.
- `action_view`: a button that posts (no form to fill in): call the service, flash what was
  done or why it was refused, redirect.

    @staff_view(Perm.CASE_WORK)
    def plan_edit(request, case_id: int):
        posting = request.method == "POST"
        case = access_case(request.actor, case_id, write=posting)
        form = PlanForm(request.POST) if posting else blank_plan_form(case)
        perform = partial(plan_set, actor=request.actor, case=case)
        return form_view(request, form, lambda d: perform(**d), done=..., then=case_url(case.pk),
                         page=Page("followup/plan.html", {"case": case}))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _

from haven.core.forms import add_service_errors
from haven.core.versions import StaleEdit

# What to say, or where to go: fixed, or made from what the service returned.
Said = str | Callable[[Any], str]


class ShowsForm(Protocol):
    """Anything that answers a page with the form on it: a `Page`, or a view's own function
    (a page that holds several forms, like the on-call roster, names which one is bound)."""

    def __call__(
        self, request: HttpRequest, form: forms.Form | None, *, status: int, done: str | None
    ) -> HttpResponse: ...


@dataclass(frozen=True)
class Page:
    """A template that shows the form: its context, and the names the form and the success
    text go under (`form` and `done` unless the template says otherwise)."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    form_name: str = "form"
    done_name: str = "done"

    def with_context(self, **context: Any) -> Page:
        """The same page with more in its context (a module-level page, a view's objects)."""
        return replace(self, context={**self.context, **context})

    def __call__(
        self,
        request: HttpRequest,
        form: forms.Form | None,
        *,
        status: int = 200,
        done: str | None = None,
    ) -> HttpResponse:
        context = {**self.context, self.form_name: form}
        if done is not None:
            context[self.done_name] = done
        return render(request, self.template, context, status=status)


def _said(value: Said, result: Any) -> str:
    return value(result) if callable(value) else value


def error_text(exc: ValidationError) -> str:
    """A service's refusal as one line for a flash message."""
    return " ".join(exc.messages)


def form_error_text(form: forms.Form) -> str:
    """A refused form's errors as one line, each after its field's label."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label or name.replace('_', ' ').capitalize()}: " if field else ""
        parts += [label + error for error in errors]
    return " ".join(parts)


def bind_form(
    request: HttpRequest,
    form_class: type[forms.Form],
    *,
    initial: Mapping[str, Any] | Callable[[], Mapping[str, Any] | None] | None = None,
    **kwargs: Any,
) -> forms.Form:
    """The form bound to a POST, else blank with `initial`. A callable `initial` is called only
    for the blank form, so what it reads is read only when the form is shown."""
    if request.method == "POST":
        return form_class(request.POST, **kwargs)
    return form_class(initial=initial() if callable(initial) else initial, **kwargs)


def form_view(
    request: HttpRequest,
    form: forms.Form,
    perform: Callable[[dict[str, Any]], Any],
    *,
    done: Said,
    then: str | Callable[[Any], str],
    page: ShowsForm | None = None,
    partial: ShowsForm | None = None,
    invalid: str | Callable[[forms.Form], str] | None = None,
    refused_status: int = 400,
    saved: Callable[[Any], Mapping[str, Any]] | None = None,
    back: str | None = None,
) -> HttpResponse:
    """Show, or take, a form.

    `perform(cleaned_data)` calls the service; what it returns is handed to `done` and `then`
    when they are callables. `then` is a URL or a URL name (what `redirect` takes).
    Not a POST: `page` with the form (200). A refused POST: `page` with the form and its
    errors (400); for htmx with a `partial`, the partial with the form (200: htmx swaps only
    2xx answers). With no `page`, the refusal is flashed (`invalid`, or the form's errors, or
    the service's words) and the browser goes to `then`, which must then be fixed.
    `refused_status` is for the few pages that answer a refused form with 200 (the form that
    refers a victim to a partner always has; a page whose address holds a secret should, as a
    4xx is logged with its address).
    A save over a newer version (`StaleEdit`) answers the conflict page (409) instead;
    `saved(record)` gives the saved values under the form's field names where they differ
    from the record's attributes; `back` (a URL or URL name) is where to open the saved
    version, when this address cannot be opened (a form posted from another page)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except StaleEdit as exc:
            return stale_edit_page(request, form, exc, saved=saved, back=back)
        except ValidationError as exc:
            if page is None:
                messages.error(request, error_text(exc))
                return redirect(then)
            add_service_errors(form, exc)
        else:
            said = _said(done, result)
            if partial is not None and getattr(request, "htmx", False):
                return partial(request, None, status=200, done=said)
            messages.success(request, said)
            return redirect(_said(then, result))
    if page is None:
        messages.error(request, _said(invalid, form) if invalid else form_error_text(form))
        return redirect(then)
    if request.method != "POST":
        return page(request, form, status=200, done=None)
    if partial is not None and getattr(request, "htmx", False):
        return partial(request, form, status=200, done=None)
    return page(request, form, status=refused_status, done=None)


def action_view(
    request: HttpRequest, perform: Callable[[], Any], *, done: Said, then: str
) -> HttpResponse:
    """A button that posts: `perform()` calls the service; flash `done` (or the service's
    refusal) and redirect to `then` (a URL or a URL name) either way."""
    try:
        result = perform()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _said(done, result))
    return redirect(then)


def _shown(field: forms.Field, value: Any) -> str:
    """A value as the form would name it: a choice's label, yes or no, a list joined."""
    if value is None or value == "" or value == [] or value == ():
        return ""
    if isinstance(value, (list, tuple, set)) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return ", ".join(_shown(field, item) for item in items)
    if isinstance(field, forms.BooleanField) or isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(key): label for key, label in _flat(choices)}
        return str(labels.get(str(getattr(value, "pk", value)), value))
    return str(value)


def _flat(choices):
    for key, label in choices:
        if isinstance(label, (list, tuple)):
            yield from _flat(label)
        else:
            yield key, label


def stale_edit_page(
    request: HttpRequest,
    form: forms.Form,
    exc: StaleEdit,
    *,
    saved: Callable[[Any], Mapping[str, Any]] | None = None,
    back: str | None = None,
    more: Sequence[tuple[str, str, str]] = (),
) -> HttpResponse:
    """The conflict page (409): the user's version and the saved one, field by field, the
    differences marked; the user's input kept, to save over the newer version knowingly or
    to leave. Only the form's own fields are shown (and `more`: rows of label, yours, saved,
    for what the form holds beside its fields), so it shows nothing the form did not."""
    current = exc.current
    values = dict(saved(current)) if saved else {}
    rows = []
    for name, form_field in form.fields.items():
        if isinstance(form_field.widget, forms.HiddenInput):
            continue
        theirs = values[name] if name in values else getattr(current, name, None)
        yours_text = _shown(form_field, form.cleaned_data.get(name))
        theirs_text = _shown(form_field, theirs)
        rows.append(
            {
                "label": form_field.label or name.replace("_", " ").capitalize(),
                "yours": yours_text,
                "saved": theirs_text,
                "differs": yours_text != theirs_text,
            }
        )
    rows += [
        {"label": label, "yours": yours, "saved": theirs, "differs": yours != theirs}
        for label, yours, theirs in more
    ]
    # the hidden field that carries the version: `version`, or the one the form names
    field_name = getattr(form, "version_field", "version")
    version_name = form[field_name].html_name if field_name in form.fields else field_name
    resubmit = [
        (key, value)
        for key, values_ in request.POST.lists()
        if key not in ("csrfmiddlewaretoken", version_name)
        for value in values_
    ]
    return render(
        request,
        "core/stale_edit.html",
        {
            "rows": rows,
            "error": exc,
            "sent": exc.sent,
            "current_version": exc.saved_version,
            "version_name": version_name,
            "resubmit": resubmit,
            "action": request.get_full_path(),
            "back": resolve_url(back) if back else request.get_full_path(),
        },
        status=409,
    )
