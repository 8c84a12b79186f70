"""core.decorators.secret_address: every answer of a page whose address holds a token keeps
the token on the site and out of caches and search engines, whatever the view returns."""

from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory

from haven.core.decorators import secret_address


@secret_address
def page(request, gone: bool):
    return HttpResponseRedirect("/x/?answered=1") if gone else HttpResponse("ok", status=404)


def test_every_answer_of_a_secret_address_gets_the_headers():
    for gone in (True, False):
        response = page(RequestFactory().get("/x/token/"), gone)
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cache-Control"] == "no-store"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert page.__name__ == "page"
