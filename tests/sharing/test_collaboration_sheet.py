"""The 多職種連携シート is the first sheet a region defines (issue 13): the retired fixed form's address
sends who writes on the timeline to the region's current version, a region without one gets a plain
message, and sheets written with the fixed form stay on the timeline, printable and in the API."""

from __future__ import annotations

import io
import re
import zlib

import pdfplumber
import pytest

from renkei.core.models import AccessLog
from renkei.transitions.models import FilledSheet, SheetDefinition, SheetStatus, SheetVersion
from renkei.transitions.services import sheets
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, give_consent, old_form_sheet_post

ANSWERS = {
    "recipient": "訪問看護ステーション 御中",
    "current_status": "退院後1週間。食事量が少しずつ増えています。",
    "adl_eating": "自立",
    "adl_toileting": "見守り",
    "adl_bathing": "全介助",
    "adl_mobility": "一部介助",
    "adl_dressing": "一部介助",
    "procedures": ["在宅酸素", "インスリン"],
    "request": "入浴時の酸素飽和度を確認してください。",
    "contact_person": "三戸 ケアマネ",
    "contact_phone": "0178-00-0000",
}


def _current_version() -> SheetVersion:
    return SheetVersion.objects.get(
        definition__region__slug="hachinohe",
        definition__key="collaboration-sheet",
        status=SheetStatus.PUBLISHED,
    )


def _pdf_text(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return re.sub(r"\s+", "", "".join(page.extract_text() for page in pdf.pages))


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
def team(cm, carol, patient):
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    return patient


def test_the_old_address_opens_the_regions_current_version(client, cm, alice, team):
    verified_login(client, cm)
    first = _current_version()
    response = client.get(f"/patients/{team.pk}/sheets/new/")
    assert response.status_code == 302
    assert response["Location"] == f"/transitions/patients/{team.pk}/sheets/{first.pk}/new/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "多職種連携シート" in page.content.decode()

    second = sheets.new_version(alice, first.definition_id)
    sheets.publish(alice, second.pk)
    response = client.get(f"/patients/{team.pk}/sheets/new/")
    assert response["Location"] == f"/transitions/patients/{team.pk}/sheets/{second.pk}/new/"


def test_the_defined_sheet_is_filled_seen_and_printed(client, cm, carol, team):
    verified_login(client, cm)
    fill_url = client.get(f"/patients/{team.pk}/sheets/new/")["Location"]
    refused = client.post(fill_url, {**ANSWERS, "current_status": "", "request": ""})
    assert refused.status_code == 400
    assert FilledSheet.objects.count() == 0
    response = client.post(fill_url, ANSWERS)
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{team.pk}/"
    filled = FilledSheet.objects.get()
    assert filled.version == _current_version()
    assert filled.answers == ANSWERS

    verified_login(client, carol)
    page = client.get(f"/patients/{team.pk}/").content.decode()
    assert "入浴時の酸素飽和度を確認してください。" in page
    printed = client.get(f"/transitions/patients/{team.pk}/sheets/posts/{filled.post_id}/sheet.pdf")
    assert printed.status_code == 200
    text = _pdf_text(printed.content)
    for expected in (
        "多職種連携シート",
        "架空花子",
        "在宅酸素",
        "インスリン",
        "入浴時の酸素飽和度を確認してください。",
    ):
        assert expected in text
    items = client.get(f"/api/v1/patients/{team.pk}/posts").json()["items"]
    assert [(item["id"], item["is_collaboration_sheet"], item["sheet"]) for item in items] == [
        (filled.post_id, True, {"key": "collaboration-sheet", "name": "多職種連携シート", "version": 1})
    ]


def test_a_region_without_the_sheet_gets_a_plain_message(client, cm, team):
    SheetDefinition.objects.filter(region__slug="hachinohe", key="collaboration-sheet").delete()
    verified_login(client, cm)
    response = client.get(f"/patients/{team.pk}/sheets/new/")
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{team.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "この利用者の圏域には公開中の多職種連携シートがありません。" in page


def test_a_region_with_only_a_draft_gets_the_same_message(client, cm, team):
    SheetVersion.objects.filter(definition__region__slug="hachinohe").update(status=SheetStatus.DRAFT)
    verified_login(client, cm)
    response = client.get(f"/patients/{team.pk}/sheets/new/", follow=True)
    assert response.redirect_chain == [(f"/patients/{team.pk}/", 302)]
    assert "この利用者の圏域には公開中の多職種連携シートがありません。" in response.content.decode()


def test_a_sheet_written_with_the_old_form_stays_readable(client, cm, carol, team):
    post = old_form_sheet_post(team, cm)
    verified_login(client, carol)
    page = client.get(f"/patients/{team.pk}/").content.decode()
    assert "多職種連携シート（宛先: 訪問看護ステーション 御中）" in page
    assert "退院後1週間。食事量が少しずつ増えています。" in page
    assert "入浴時の酸素飽和度を確認してください。" in page
    assert f'href="/patients/{team.pk}/posts/{post.pk}/sheet.pdf"' in page
    items = client.get(f"/api/v1/patients/{team.pk}/posts").json()["items"]
    assert [(item["id"], item["is_collaboration_sheet"], item["body"], item["sheet"]) for item in items] == [
        (post.pk, True, "", {"key": "collaboration-sheet", "name": "多職種連携シート", "version": None})
    ]


def test_a_sheet_written_with_the_old_form_prints_as_a4_pdf_with_japanese_text(client, cm, carol, team):
    post = old_form_sheet_post(team, cm)
    verified_login(client, carol)
    response = client.get(f"/patients/{team.pk}/posts/{post.pk}/sheet.pdf")
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
    for expected in (
        "多職種連携シート",
        "架空花子",
        "全介助",
        "在宅酸素",
        "インスリン",
        "入浴時の酸素飽和度を確認してください。",
    ):
        assert expected in text
    assert AccessLog.objects.filter(user=carol, action=AccessLog.Action.PRINT).count() == 1
