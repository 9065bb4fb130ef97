from __future__ import annotations

import re
import shutil
import subprocess
import zlib

import pytest

from renkei.core.models import AccessLog
from renkei.sharing.models import CollaborationSheet
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, give_consent

FORM = {
    "recipient": "訪問看護ステーション 御中",
    "current_status": "退院後1週間。食事量が少しずつ増えています。",
    "adl_eating": "independent",
    "adl_toileting": "supervision",
    "adl_bathing": "full",
    "adl_mobility": "partial",
    "adl_dressing": "partial",
    "procedures": ["home_oxygen", "insulin"],
    "request": "入浴時の酸素飽和度を確認してください。",
    "contact_person": "三戸 ケアマネ",
    "contact_phone": "0178-00-0000",
}


def _pdf_text(content: bytes) -> str:
    """The text of a PDF, by pdftotext when installed, else from the font names embedded."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        return subprocess.run(
            [pdftotext, "-layout", "-", "-"], input=content, capture_output=True, check=True
        ).stdout.decode()
    return ""


def _objects(content: bytes) -> bytes:
    """The PDF with its compressed (object) streams inflated, to look for dictionaries in it."""
    parts = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.fixture
def sheet_post(client, cm, carol, patient):
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    verified_login(client, cm)
    response = client.post(f"/patients/{patient.pk}/sheets/new/", FORM)
    assert response.status_code == 302
    return CollaborationSheet.objects.get().post


def test_member_fills_in_a_collaboration_sheet_and_it_appears_on_the_timeline(
    client, carol, patient, sheet_post
):
    verified_login(client, carol)
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "多職種連携シート" in page
    assert "入浴時の酸素飽和度を確認してください。" in page
    assert sheet_post.sheet.procedures == ["home_oxygen", "insulin"]


def test_collaboration_sheet_prints_as_a4_pdf_with_japanese_text(client, carol, patient, sheet_post):
    verified_login(client, carol)
    response = client.get(f"/patients/{patient.pk}/posts/{sheet_post.pk}/sheet.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    content = response.content
    assert content.startswith(b"%PDF-")
    objects = _objects(content)
    # A4 is 595 × 842 points.
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.\d* 841\.\d*|/MediaBox\s*\[\s*0 0 595\.?\d* 842", objects)
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+Noto-?Sans-?CJK", objects)
    assert b"/ToUnicode" in objects  # real, extractable text, not drawn outlines
    text = _pdf_text(content)
    if text:
        flat = re.sub(r"\s+", "", text)
        for expected in (
            "多職種連携シート",
            "架空花子",
            "在宅酸素",
            "インスリン",
            "入浴時の酸素飽和度を確認してください。",
        ):
            assert expected in flat
    assert AccessLog.objects.filter(user=carol, action=AccessLog.Action.PRINT).count() == 1


def test_sheet_needs_status_request_and_contact(client, cm, patient):
    verified_login(client, cm)
    response = client.post(
        f"/patients/{patient.pk}/sheets/new/", {**FORM, "current_status": "", "request": ""}
    )
    assert response.status_code == 400
    assert CollaborationSheet.objects.count() == 0
