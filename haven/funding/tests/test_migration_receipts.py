"""Migrations funding 0003-0005 move each emergency-assistance receipt, stored in clear under
MEDIA_ROOT/receipts/ by the code before them, into an encrypted privileged document on the
request's case, and delete the clear file.

The test migrates its own database back to funding 0002, writes a request and its receipt
file as that code did (`receipts/<agency>/<yyyy>/<mm>/<case>-<suffix>`, in clear), migrates
forward and reads the receipt back through today's models and the documents storage. Run it
on PostgreSQL too: `HAVEN_DATABASE_URL=postgres://... pytest` with this file.
"""

import hashlib
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from haven.documents.models import Document
from haven.documents.storage import blob_read, blob_token
from haven.funding.models import EmergencyRequest
from haven.funding.tests.conftest import PNG

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("funding", "0002_record_version")  # before 0003-0005


def _migrate(target: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


def _latest():
    return _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_existing_receipts_become_encrypted_documents_and_the_clear_files_go(cast, fund):
    store = storages["default"]
    try:
        old = _migrate([BEFORE])
        OldRequest = old.get_model("funding", "EmergencyRequest")
        agency, case = cast.agency_a.pk, cast.case_a.pk
        clear = store.save(f"receipts/{agency}/2026/11/{case}-png", ContentFile(PNG))
        common = {
            "agency_id": agency,
            "case_id": case,
            "fund_id": fund.pk,
            "purpose": "lodging",
            "requested_by_id": cast.advocate.pk,
        }
        with_receipt = OldRequest.objects.create(amount=Decimal("120"), receipt=clear, **common)
        lost = OldRequest.objects.create(
            amount=Decimal("30"), receipt=f"receipts/{agency}/2026/11/{case}-pdf", **common
        )
        without = OldRequest.objects.create(amount=Decimal("20"), **common)
        assert store.exists(clear)

        _latest()

        assert not store.exists(clear)  # the clear file is gone
        document = EmergencyRequest._base_manager.get(pk=with_receipt.pk).receipt_document
        assert (document.kind, document.visibility, document.case_id) == (
            "receipt",
            "privileged",
            case,
        )
        assert (document.content_type, document.size) == ("image/png", len(PNG))
        assert document.sha256 == hashlib.sha256(PNG).hexdigest()
        assert document.uploaded_by_id == cast.advocate.pk
        assert blob_read(document.blob) == PNG
        assert PNG not in blob_token(document.blob)  # encrypted at rest
        assert document.name == f"receipt-{with_receipt.pk}.png"
        # A receipt whose file was missing, and a request without one: no document.
        assert EmergencyRequest._base_manager.get(pk=lost.pk).receipt_document is None
        assert EmergencyRequest._base_manager.get(pk=without.pk).receipt_document is None
        assert Document._base_manager.count() == 1
    finally:
        _latest()
