"""Funding fixtures: two sources of agency A (VOCA, the default, and VAWA STOP), an emergency
fund on VOCA holding $500, and receipts kept in a temporary MEDIA_ROOT."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haven.funding.services import fund_deposit, funding_source_save

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def voca(cora):
    return funding_source_save(
        actor=cora,
        name="VOCA 2026",
        kind="voca",
        award_number="2026-VA-001",
        period_start=date(2025, 10, 1),
        period_end=date(2026, 9, 30),
        amount=Decimal("250000"),
        is_default=True,
    )


@pytest.fixture
def stop(cora):
    return funding_source_save(
        actor=cora,
        name="VAWA STOP 2026",
        kind="vawa_stop",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )


@pytest.fixture
def fund(cora, voca):
    deposit = fund_deposit(
        actor=cora, source=voca, amount=Decimal("500"), deposited_on=date(2026, 11, 2)
    )
    return deposit.fund


def receipt(content: bytes = PNG, name: str = "receipt.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")
