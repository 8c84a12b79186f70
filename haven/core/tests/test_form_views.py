"""core.form_views: the one way a form view binds, calls the service, shows refusals and
answers (a redirect, the page again, a flashed refusal, an htmx fragment)."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from haven.core.form_views import action_view, bind_form, form_view


class NameForm(forms.Form):
    name = forms.CharField(max_length=10, label="Their name")


def _request(method="post", data=None, htmx=False):
    factory = RequestFactory()
    request = factory.post("/x/", data or {}) if method == "post" else factory.get("/x/")
    request.session = {}
    request._messages = FallbackStorage(request)
    request.htmx = htmx
    return request


def _said(request):
    return [(m.level_tag, m.message) for m in get_messages(request)]


def page(request, form, *, status, done):
    errors = form.errors.as_json() if form is not None else ""
    return HttpResponse(f"page {errors} done={done}", status=status)


def fragment(request, form, *, status, done):
    errors = form.errors.as_json() if form is not None else ""
    return HttpResponse(f"fragment {errors} done={done}", status=status)


def test_a_get_shows_the_page_and_calls_nothing():
    calls = []
    request = _request("get")
    response = form_view(request, NameForm(), calls.append, done="Saved.", then="/done/", page=page)
    assert response.status_code == 200 and b"page" in response.content
    assert calls == [] and _said(request) == []


def test_a_valid_post_calls_the_service_flashes_and_redirects_where_its_result_says():
    calls = []
    request = _request(data={"name": "Ana"})

    def perform(data):
        calls.append(data)
        return 7

    response = form_view(
        request,
        NameForm(request.POST),
        perform,
        done=lambda n: f"Saved {n}.",
        then=lambda n: f"/thing/{n}/",
        page=page,
    )
    assert calls == [{"name": "Ana"}]
    assert response.status_code == 302 and response["Location"] == "/thing/7/"
    assert _said(request) == [("success", "Saved 7.")]


def test_an_invalid_form_is_shown_again_with_400_and_the_service_is_not_called():
    calls = []
    request = _request(data={"name": "x" * 11})
    response = form_view(
        request, NameForm(request.POST), calls.append, done="Saved.", then="/d/", page=page
    )
    assert response.status_code == 400 and b"name" in response.content
    assert calls == [] and _said(request) == []


def test_the_services_field_error_lands_on_the_field_and_others_at_the_top():
    request = _request(data={"name": "Ana"})
    form = NameForm(request.POST)

    def refuse(data):
        raise ValidationError({"name": "Taken.", "elsewhere": "Not a field here."})

    response = form_view(request, form, refuse, done="Saved.", then="/d/", page=page)
    assert response.status_code == 400
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Not a field here."]
    assert _said(request) == []


def test_refused_status_keeps_a_page_that_answers_200():
    request = _request(data={})
    response = form_view(
        request,
        NameForm(request.POST),
        lambda d: None,
        done="Saved.",
        then="/d/",
        page=page,
        refused_status=200,
    )
    assert response.status_code == 200 and b"required" in response.content


def test_without_a_page_a_refusal_is_flashed_and_the_browser_goes_back():
    request = _request(data={})
    response = form_view(request, NameForm(request.POST), lambda d: None, done="Ok.", then="/b/")
    assert response.status_code == 302 and response["Location"] == "/b/"
    assert _said(request) == [("error", "Their name: This field is required.")]

    request = _request(data={})
    form_view(
        request, NameForm(request.POST), lambda d: None, done="Ok.", then="/b/", invalid="Say who."
    )
    assert _said(request) == [("error", "Say who.")]

    request = _request(data={"name": "Ana"})

    def refuse(data):
        raise ValidationError(["Closed.", "Try Monday."])

    response = form_view(request, NameForm(request.POST), refuse, done="Ok.", then="/b/")
    assert response["Location"] == "/b/"
    assert _said(request) == [("error", "Closed. Try Monday.")]


def test_htmx_gets_the_fragment_with_the_done_line_or_the_errors_always_200():
    request = _request(data={"name": "Ana"}, htmx=True)
    response = form_view(
        request,
        NameForm(request.POST),
        lambda d: "ok",
        done="Recorded.",
        then="/d/",
        page=page,
        partial=fragment,
    )
    assert response.status_code == 200 and b"fragment" in response.content
    assert b"done=Recorded." in response.content and _said(request) == []

    request = _request(data={}, htmx=True)
    response = form_view(
        request,
        NameForm(request.POST),
        lambda d: "ok",
        done="R.",
        then="/d/",
        page=page,
        partial=fragment,
    )
    assert response.status_code == 200 and b"fragment" in response.content
    assert b"required" in response.content


def test_a_button_flashes_what_was_done_or_why_not_and_redirects_either_way():
    request = _request()
    response = action_view(request, lambda: 3, done=lambda n: f"{n} done.", then="/back/")
    assert response["Location"] == "/back/" and _said(request) == [("success", "3 done.")]

    def refuse():
        raise ValidationError("Already cancelled.")

    request = _request()
    response = action_view(request, refuse, done="Cancelled.", then="/back/")
    assert response["Location"] == "/back/" and _said(request) == [("error", "Already cancelled.")]


def test_bind_form_binds_a_post_and_reads_the_initial_values_only_for_a_blank_form():
    reads = []

    def initial():
        reads.append(1)
        return {"name": "Bo"}

    posted = bind_form(_request(data={"name": "Ana"}), NameForm, initial=initial)
    assert posted.is_bound and posted.data["name"] == "Ana" and reads == []
    blank = bind_form(_request("get"), NameForm, initial=initial)
    assert not blank.is_bound and blank.initial == {"name": "Bo"} and reads == [1]
    fixed = bind_form(_request("get"), NameForm, initial={"name": "Cy"}, label_suffix="?")
    assert fixed.initial == {"name": "Cy"} and fixed.label_suffix == "?"
