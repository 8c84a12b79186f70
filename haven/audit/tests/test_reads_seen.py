"""Every read seen: walk every GET route as every member of agency A, over A's own records,
and fail when a page or API answer shows a victim's name or a case's number but wrote no
access-log event for the member who asked.

Routes reuse the walk of the leak tests (consent/tests/test_leaks.py): our own objects where
the test knows them, a number matching nothing elsewhere (a 404 shows nothing).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.audit.models import AuditEvent
from haven.compensation.services import claim_create, restitution_order_create
from haven.consent.tests.test_leaks import all_routes, fill
from haven.core.tests.sweep import page_text
from haven.documents.services import document_upload
from haven.documents.tests.helpers import pdf
from haven.notices.models import Message, MessageStatus
from haven.notices.services import message_queue

ROLES_OF_A = ["advocate", "advocate2", "supervisor", "coordinator", "officer", "analyst", "auditor"]
SKIPPED = {"logout"}  # signs the test client out; it touches no records


@pytest.fixture
def a_records(cast, alice, settings, tmp_path):
    """Agency A's records behind the routes that show a victim: a claim, a restitution order,
    a failed message (listed on /messages/)."""
    case, victim = cast.case_a, cast.case_a.primary_victim
    crime = timezone.localdate() - timedelta(days=5)
    claim = claim_create(
        actor=alice,
        case=case,
        claimant=victim,
        claimant_relation="victim",
        crime_date=crime,
        crime_type="battery",
    )
    order = restitution_order_create(
        actor=alice,
        case=case,
        payee=victim,
        court_case_number="RV-2026-1",
        amount="100.00",
        ordered_on=crime,
        payer_name="Riverside Defendant",
    )
    message = message_queue(
        actor=alice,
        case=case,
        person=victim,
        template="generic",
        facts={"body": "Please call us."},
        dedupe_key="a:reads",
    )[0]
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED)
    settings.MEDIA_ROOT = tmp_path / "media"
    document = document_upload(
        actor=alice, file=pdf(), name="order.pdf", case=case, kind="protection_order"
    )
    return {
        "document_id": document.pk,
        "case_id": case.pk,
        "panel": "messages",
        "person_id": victim.pk,
        "task_id": case.tasks.first().pk,
        "claim_id": claim.pk,
        "order_id": order.pk,
        "message_id": message.pk,
    }


def _shows_a_record(body: str, secrets: list[str]) -> str | None:
    return next((s for s in secrets if s in body), None)


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_every_page_showing_a_victim_or_a_case_wrote_an_access_log_event(
    client, cast, a_records, role
):
    client.raise_request_exception = False
    victim = cast.case_a.primary_victim
    secrets = [f"{victim.first_name} {victim.last_name}", victim.last_name, cast.case_a.number]
    user = getattr(cast, role).user
    client.force_login(user)
    routes = [r for r in all_routes() if r[0] not in SKIPPED]
    assert len(routes) > 50
    unseen, shown = [], 0
    for name, route in routes:
        path = fill(route, a_records)
        before = AuditEvent.objects.filter(actor_id=user.pk).count()
        response = client.get(path)
        if response.status_code != 200 or response.streaming:
            continue
        secret = _shows_a_record(page_text(response), secrets)
        if secret is None:
            continue
        shown += 1
        if AuditEvent.objects.filter(actor_id=user.pk).count() == before:
            unseen.append(f"GET {path} ({name}) shows {secret!r}")
    assert unseen == [], f"as {role}, reads with no access-log event:\n" + "\n".join(unseen)
    if role in ("advocate", "supervisor"):
        assert shown > 10  # the walk really reached the pages that show the victim


@pytest.mark.parametrize(
    ("path", "action", "object_type"),
    [
        ("/cases/{case_id}/court-calendar/{person_id}/", "justice.calendar_view", "people.person"),
        (
            "/compensation/restitution/{order_id}/",
            "restitution.view",
            "compensation.restitutionorder",
        ),
        ("/messages/", "notice.list", "notices.message"),
    ],
)
def test_the_three_pages_that_showed_victims_unseen_now_write_their_read(
    client, cast, a_records, path, action, object_type
):
    client.force_login(cast.advocate.user)
    response = client.get(path.format(**a_records))

    assert response.status_code == 200
    assert "Dana Reyes" in response.content.decode() or "Reyes" in response.content.decode()
    event = AuditEvent.objects.filter(actor_id=cast.advocate.user.pk).order_by("-id").first()
    assert (event.action, event.object_type) == (action, object_type)
    if action == "notice.list":
        assert event.details["shown"] == [a_records["message_id"]]
    else:
        assert event.details["case"] == a_records["case_id"]
