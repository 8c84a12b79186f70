"""Documents on a partner referral: the one outbound path for a document, through the consent
gate (haven.consent.documents) at every view and download of the partner's link. Allowed only
where the person's release names the partner, the purpose "referral" and documents; refused
otherwise with a clear message, audited either way."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.documents.services import document_upload
from haven.documents.tests.helpers import PDF_BYTES, pdf
from haven.referrals.models import Referral
from haven.referrals.services import referral_send
from haven.referrals.tests.conftest import EVERYTHING

WITH_DOCUMENTS = [*EVERYTHING, "documents"]
REFUSED = "does not cover sharing documents with your organization"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def letter(alice, cast):
    return document_upload(
        actor=alice,
        file=pdf("Dana Reyes lease letter.pdf"),
        name="Dana Reyes lease letter.pdf",
        case=cast.case_a,
        kind="letter",
        visibility="shareable",
    )


@pytest.fixture
def send(alice, proposal, smtp_inbox, django_capture_on_commit_callbacks):
    """send(documents): propose and send the referral with those documents; (referral, token)."""

    def make(documents):
        referral = proposal(documents=[d.pk for d in documents])
        with django_capture_on_commit_callbacks(execute=True):
            return referral_send(actor=alice, referral=referral, site_url="http://testserver")

    return make


def page_url(token):
    return f"/partner/riverside/referrals/{token}/"


def document_url(token, document):
    return f"/partner/riverside/referrals/{token}/documents/{document.pk}/"


def test_a_release_covering_documents_lets_the_partner_list_and_download_them(
    client, letter, release, send, new_audit_events
):
    covering = release(categories=WITH_DOCUMENTS)
    referral, token = send([letter])
    assert list(referral.documents.all()) == [letter]

    body = client.get(page_url(token)).content.decode()
    assert document_url(token, letter) in body
    assert "Letter" in body and REFUSED not in body
    [view] = new_audit_events(action="partner_referral.view")
    assert view.details["documents"] == [letter.pk]

    response = client.get(document_url(token, letter), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    assert response.content == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    [share] = new_audit_events(action=AuditAction.DOCUMENT_SHARE)
    assert share.actor_label == "partner via link" and share.ip == "203.0.113.9"
    assert share.object_id == str(letter.pk)
    assert share.details["release"] == covering.pk
    assert share.details["channel"] == "partner_link"
    assert share.details["sha256"] == letter.sha256


def test_a_release_without_documents_shows_none_and_refuses_the_download(
    client, letter, release, send, new_audit_events
):
    release()  # identity, contact ... but not documents
    _referral, token = send([letter])

    page = client.get(page_url(token))
    body = page.content.decode()
    assert page.status_code == 200 and "Dana Reyes" in body  # the referral itself is covered
    assert document_url(token, letter) not in body
    assert "Documents not shown: 1." in body and REFUSED in body

    response = client.get(document_url(token, letter))
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    assert PDF_BYTES not in response.content
    assert not new_audit_events(action=AuditAction.DOCUMENT_SHARE)
    refusals = new_audit_events(action=AuditAction.CONSENT_REFUSED)
    assert refusals and all(r.details["channel"] == "partner_link" for r in refusals)
    assert "documents" in refusals[-1].details["why"].lower()


def test_a_release_revoked_after_sending_stops_the_download(
    client, letter, release, send, new_audit_events
):
    covering = release(categories=WITH_DOCUMENTS)
    _referral, token = send([letter])
    covering.revoked_at = timezone.now()
    covering.save(update_fields=["revoked_at"])

    response = client.get(document_url(token, letter))
    assert response.status_code == 403 and REFUSED in response.content.decode()
    assert not new_audit_events(action=AuditAction.DOCUMENT_SHARE)


def test_a_release_for_another_partner_does_not_open_the_document(
    client, letter, release, send, legal_aid, new_audit_events
):
    release()  # the referral itself, to the shelter
    release(categories=WITH_DOCUMENTS, recipient_organization=legal_aid.organization)
    _referral, token = send([letter])
    assert client.get(document_url(token, letter)).status_code == 403
    assert not new_audit_events(action=AuditAction.DOCUMENT_SHARE)


def test_a_document_the_referral_does_not_include_is_not_found(
    client, alice, cast, letter, release, send
):
    release(categories=WITH_DOCUMENTS)
    _referral, token = send([letter])
    other = document_upload(
        actor=alice,
        file=pdf("other.pdf"),
        name="other.pdf",
        case=cast.case_a,
        kind="receipt",
        visibility="shareable",
    )
    assert client.get(document_url(token, other)).status_code == 404
    assert client.get(document_url("t" * 43, letter)).status_code == 404


def test_a_privileged_document_cannot_be_included(alice, cast, proposal):
    privileged = document_upload(
        actor=alice, file=pdf("notes.pdf"), name="notes.pdf", case=cast.case_a, kind="letter"
    )
    with pytest.raises(ValidationError) as refused:
        proposal(documents=[privileged.pk])
    assert "privileged documents never leave Haven" in str(refused.value.message_dict["documents"])
    assert not Referral.objects.exists()


def test_the_specialist_chooses_the_documents_on_the_referral_form(
    client_as, cast, letter, shelter
):
    client = client_as("advocate")
    form_url = f"/cases/{cast.case_a.pk}/referrals/new/{shelter.pk}/"
    assert "Dana Reyes lease letter.pdf" in client.get(form_url).content.decode()
    response = client.post(
        form_url,
        {
            "person": cast.victim_a.pk,
            "need": "shelter",
            "urgency": "routine",
            "categories": ["identity", "contact"],
            "documents": [letter.pk],
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert list(referral.documents.all()) == [letter]
    detail = client.get(response["Location"]).content.decode()
    assert 'id="referral-documents"' in detail
