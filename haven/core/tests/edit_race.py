"""Two people edit one record at once (docs/security.md, "No lost edit"): what each app's test
of its edit form uses. Each person opens the form in their own browser (a client of their
own), the page's form is read back as the browser would send it, with the hidden version."""

from __future__ import annotations

from html.parser import HTMLParser

from django.test import Client

from haven.agencies.models import Membership

CONFLICT_TITLE = "Someone else saved this first"


def signed_in(member: Membership) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


class _FormReader(HTMLParser):
    """The fields of each <form> on a page, as a browser would post them unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self._form: dict[str, list[str]] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self._form.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self._form.setdefault(name, [])
        elif tag == "option" and self._select:
            self._option = a
            self._text = []
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea or self._option is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option" and self._option is not None and self._form is not None:
            value = self._option.get("value", "".join(self._text).strip())
            if self._select_first is None:
                self._select_first = value
            if "selected" in self._option:
                self._form[self._select].append(value)
                self._select_chosen = True
            self._option = None
        elif tag == "select" and self._select and self._form is not None:
            if not self._select_chosen and self._select_first is not None:
                self._form[self._select].append(self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            text = "".join(self._text)
            self._form.setdefault(self._textarea, []).append(text.removeprefix("\n"))
            self._textarea = None


def versioned_form(html: str | bytes, field: str = "version") -> dict[str, list[str]]:
    """The one form on the page that carries `field` (the record's version, under the form's
    prefix if it has one), as posted."""
    reader = _FormReader()
    reader.feed(html.decode() if isinstance(html, bytes) else html)
    found = [
        form
        for form in reader.forms
        if any(name == field or name.endswith(f"-{field}") for name in form)
    ]
    assert len(found) == 1, f"{len(found)} forms carry {field!r}"
    form = found[0]
    form.pop("csrfmiddlewaretoken", None)
    return form


def race(
    url: str,
    first: Client,
    second: Client,
    first_change: dict,
    second_change: dict,
    *,
    post_to: str | None = None,
):
    """Both open the form at `url`; the first saves, then the second (to `post_to` when the
    form posts elsewhere). The two answers."""
    first_form = versioned_form(first.get(url).content)
    second_form = versioned_form(second.get(url).content)
    one = first.post(post_to or url, {**first_form, **first_change})
    two = second.post(post_to or url, {**second_form, **second_change})
    return one, two


def second_coordinator(cast) -> Membership:
    """A second coordinator in agency A (the cast has one): two people who may configure."""
    from haven.cases.testing import make_member
    from haven.core.roles import Role

    return make_member(cast.agency_a, "cole", Role.COORDINATOR, full_name="Cole Carter")


def assert_conflict_page(response, *expected: str) -> str:
    """A 409 with the conflict page, each expected text on it; the page's text."""
    page = response.content.decode()
    assert response.status_code == 409, page[:2000]
    assert CONFLICT_TITLE in page
    for text in expected:
        assert text in page, text
    return page
