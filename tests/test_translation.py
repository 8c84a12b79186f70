"""The staff interface in the member's language (docs/translation.md): Spanish for a member
who chose it, English for everyone else whatever their browser asks, victim pages untouched,
stored text in English, every template's text marked and the Spanish catalogue complete."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from haven.agencies.models import Membership
from haven.audit.models import AuditAction
from haven.cases.models import CaseEvent, CaseEventKind, CaseStatus
from haven.cases.services import case_change_status
from haven.lib.languages import catalogue_languages, in_english, stored_in_english

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "haven" / "locale" / "es" / "LC_MESSAGES" / "django.po"


def speaks(member, language):
    Membership.objects.filter(user=member.user).update(language=language)


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_spanish_member_sees_the_case_page_in_spanish(client_as, cast):
    speaks(cast.advocate, "es")
    html = page(client_as("advocate"), reverse("cases:detail", args=[cast.case_a.pk]))
    assert '<html lang="es">' in html
    assert "Cerrar sesión" in html and "Cronología" in html and "Registrar un contacto" in html
    assert "Sign out" not in html and "Log a contact" not in html


def test_a_spanish_member_sees_the_outreach_queue_in_spanish(client_as, cast):
    speaks(cast.advocate, "es")
    html = page(client_as("advocate"), reverse("outreach:queue"))
    assert "Cola de contacto inicial" in html
    assert "Outreach queue" not in html


def test_a_spanish_supervisor_sees_the_dashboard_in_spanish(client_as, cast):
    speaks(cast.supervisor, "es")
    response = client_as("supervisor").get(reverse("reports:dashboard"))
    html = response.content.decode()
    assert response["Content-Language"] == "es"
    assert "Panel" in html and "De un vistazo" in html
    assert "At a glance" not in html


def test_an_english_member_is_unchanged_whatever_the_browser_asks(client_as, cast):
    html = page(
        client_as("advocate"),
        reverse("cases:detail", args=[cast.case_a.pk]),
        HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9",
    )
    assert '<html lang="en">' in html
    assert "Sign out" in html and "Timeline" in html and "Log a contact" in html
    assert "Cerrar sesión" not in html


def test_the_sign_in_page_is_english_for_a_spanish_browser(client):
    html = page(client, reverse("login"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Sign in to Haven" in html


def test_a_member_chooses_their_language_on_your_sign_in(client_as, cast, new_audit_events):
    client = client_as("advocate")
    html = page(client, reverse("accounts:security"))
    assert "Language of your screens" in html and 'value="es"' in html
    response = client.post(reverse("accounts:language"), {"language": "es"})
    assert response.status_code == 302
    assert set(
        Membership.objects.filter(user=cast.advocate.user).values_list("language", flat=True)
    ) == {"es"}
    [event] = new_audit_events(action=AuditAction.LANGUAGE_CHANGE)
    assert event.details == {"from": "en", "to": "es"}
    html = page(client, reverse("accounts:security"))
    assert "Su inicio de sesión" in html and "Sus pantallas ahora están en este idioma." in html


def test_a_language_without_a_catalogue_is_refused(client_as, cast, new_audit_events):
    response = client_as("advocate").post(reverse("accounts:language"), {"language": "pl"})
    assert response.status_code == 400
    assert Membership.objects.get(pk=cast.advocate.pk).language == ""
    assert new_audit_events(action=AuditAction.LANGUAGE_CHANGE) == []


def test_victim_pages_ignore_the_staff_language(client, client_as, cast):
    url = reverse("public:help", args=[cast.agency_a.slug])
    anonymous = page(client, url, HTTP_ACCEPT_LANGUAGE="en")
    speaks(cast.advocate, "es")
    signed_in = page(client_as("advocate"), url, HTTP_ACCEPT_LANGUAGE="en")
    assert signed_in == anonymous
    assert "Cerrar sesión" not in signed_in
    # Its own mechanism still picks the victim's language from the browser.
    assert 'lang="es"' in page(client, url, HTTP_ACCEPT_LANGUAGE="es")


def test_stored_timeline_text_stays_english_when_a_spanish_member_acts(alice, cast):
    with translation.override("es"):
        assert str(CaseStatus.ACTIVE.label) != "Active"  # the label itself is Spanish here
        case_change_status(actor=alice, case=cast.case_a, status=CaseStatus.DECLINED, reason="x")
    event = CaseEvent.objects.filter(case=cast.case_a, kind=CaseEventKind.STATUS_CHANGED).latest(
        "id"
    )
    assert event.data["to"] == "Declined services"
    with translation.override("en"):
        assert event.data["from"] in {str(label) for _, label in CaseStatus.choices}


def test_stored_in_english_nests_and_restores_the_language():
    with translation.override("es"):
        with stored_in_english():
            with stored_in_english():
                assert translation.get_language() == "en"
            assert translation.get_language() == "en"
            assert str(CaseStatus.CLOSED.label) == "Closed"
        assert translation.get_language() == "es"
        assert in_english(lambda: CaseStatus.CLOSED.label) == "Closed"


def test_languages_are_discovered_from_the_catalogues(tmp_path):
    assert settings.LANGUAGES == [("en", "English"), ("es", "español")]
    (tmp_path / "pt_BR" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "pt_BR" / "LC_MESSAGES" / "django.po").write_text("")
    assert catalogue_languages(tmp_path) == [("en", "English"), ("pt-br", "Português Brasileiro")]


def test_every_staff_template_has_its_text_marked():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "template_text.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _entries(path: Path) -> list[dict]:
    entries, current, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current is not None:
                entries.append(current)
            current = None
            continue
        current = current or {"flags": "", "msgid": "", "plural": None, "msgstr": {}}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        elif m := re.match(r'^(msgid|msgid_plural|msgstr(?:\[(\d)\])?) "(.*)"$', line):
            key = {"msgid": "msgid", "msgid_plural": "plural"}.get(m.group(1), int(m.group(2) or 0))
            if key == "plural":
                current["plural"] = m.group(3)
            elif isinstance(key, int):
                current["msgstr"][key] = m.group(3)
            else:
                current["msgid"] = m.group(3)
        elif line.startswith('"'):
            if isinstance(key, int):
                current["msgstr"][key] += line[1:-1]
            elif key == "plural":
                current["plural"] += line[1:-1]
            else:
                current["msgid"] += line[1:-1]
    return [e for e in entries if e["msgid"]]


PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sd]|%[sd]|\{[a-z_0-9]*\}")


def test_the_spanish_catalogue_is_complete_and_keeps_every_placeholder():
    entries = _entries(CATALOGUE)
    assert len(entries) > 2000
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == []
    for e in entries:
        wanted = sorted(set(PLACEHOLDER.findall(e["msgid"] + (e["plural"] or ""))))
        for text in e["msgstr"].values():
            assert sorted(set(PLACEHOLDER.findall(text))) == wanted, e["msgid"]


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES if code != "en"])
def test_each_offered_language_has_a_catalogue(language):
    assert (
        ROOT / "haven" / "locale" / translation.to_locale(language) / "LC_MESSAGES" / "django.po"
    ).exists()
