"""Starting a protocol by hand from the case page: the choice of templates loads when "Start a
protocol" is opened (htmx, or a page of its own without JavaScript), an audited read; the
choice posts to the same address."""

import pytest
from django.urls import reverse

from haven.audit.models import AuditAction
from haven.cases.models import CaseStatus
from haven.cases.services import case_change_status
from haven.protocols.models import CaseProtocol, StartedBy

pytestmark = pytest.mark.django_db


def start_url(case) -> str:
    return reverse("protocols:case_start", args=[case.pk])


def test_the_case_page_loads_the_choice_only_when_it_is_opened(client_as, cast, shipped):
    page = client_as("advocate").get(reverse("cases:detail", args=[cast.case_a.pk]))
    html = page.content.decode()
    url = start_url(cast.case_a)
    assert f'hx-get="{url}"' in html and f'href="{url}"' in html
    assert shipped["domestic-violence"].name not in html  # not read on every view


def test_the_choice_lists_the_templates_not_running_and_starts_one(
    client_as, cast, shipped, new_audit_events
):
    client = client_as("advocate")
    partial = client.get(start_url(cast.case_a), headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in html
    assert shipped["domestic-violence"].name in html and 'name="template"' in html
    [read] = new_audit_events(action=AuditAction.CASE_VIEW)
    assert read.object_id == str(cast.case_a.pk)
    page = client.get(start_url(cast.case_a))
    assert page.status_code == 200 and "<html" in page.content.decode()

    started = client.post(start_url(cast.case_a), {"template": shipped["domestic-violence"].pk})

    assert started.status_code == 302 and started.url.endswith("#protocols")
    protocol = CaseProtocol.objects.get(case=cast.case_a)
    assert protocol.source == StartedBy.HAND
    again = client.get(start_url(cast.case_a), headers={"HX-Request": "true"}).content.decode()
    assert f'value="{shipped["domestic-violence"].pk}"' not in again


def test_a_closed_case_offers_none_and_others_are_refused(client_as, cast, shipped, sam):
    assert client_as("analyst").get(start_url(cast.case_a)).status_code == 403
    assert client_as("other_advocate").get(start_url(cast.case_a)).status_code == 404
    case_change_status(actor=sam, case=cast.case_a, status=CaseStatus.CLOSED, reason="Goals met")
    html = client_as("advocate").get(start_url(cast.case_a), headers={"HX-Request": "true"})
    assert 'name="template"' not in html.content.decode()
