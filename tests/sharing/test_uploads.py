from __future__ import annotations

import pytest
from django.test import override_settings

from renkei.sharing import files
from renkei.sharing.models import Attachment, Post
from tests.core.totp import verified_login
from tests.sharing.conftest import close_response, tiny_pdf, tiny_png, upload

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
BROKEN_PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n"  # cut off: no xref, no %%EOF


def _stored_files():
    root = files.private_root()
    return sorted(path.name for path in root.iterdir()) if root.exists() else []


def _post(client, patient, name, content):
    return client.post(
        f"/patients/{patient.pk}/posts/",
        {"category": "contact", "body": "資料を添付します。", "files": [upload(name, content)]},
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("検査結果.pdf", ELF, "PDF・JPEG・PNGのファイルだけを添付できます"),
        ("写真.png", b"MZ\x90\x00" + b"\x00" * 100, "PDF・JPEG・PNGのファイルだけを添付できます"),
        ("紹介状.pdf", BROKEN_PDF, "PDFファイルが壊れているため添付できません"),
    ],
)
def test_care_manager_cannot_attach_renamed_executable_or_broken_pdf(
    client, cm, patient, name, content, message
):
    before = _stored_files()
    verified_login(client, cm)
    response = _post(client, patient, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Post.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert _stored_files() == before


@override_settings(SHARING_MAX_UPLOAD_BYTES=1024)
def test_care_manager_cannot_attach_oversized_file(client, cm, patient):
    before = _stored_files()
    verified_login(client, cm)
    response = _post(client, patient, "大きい.pdf", tiny_pdf() + b"%" * 2000)
    assert response.status_code == 400
    assert "ファイルが大きすぎます（上限 1KB）" in response.content.decode()
    assert Post.objects.count() == 0
    assert _stored_files() == before


def test_one_bad_file_among_good_ones_stores_nothing(client, cm, patient):
    before = _stored_files()
    verified_login(client, cm)
    response = client.post(
        f"/patients/{patient.pk}/posts/",
        {
            "category": "contact",
            "body": "2件添付",
            "files": [upload("ok.png", tiny_png()), upload("bad.pdf", BROKEN_PDF)],
        },
    )
    assert response.status_code == 400
    assert Attachment.objects.count() == 0
    assert _stored_files() == before


def test_valid_pdf_and_png_are_stored_privately_and_served_with_safe_headers(client, cm, patient):
    verified_login(client, cm)
    response = client.post(
        f"/patients/{patient.pk}/posts/",
        {
            "category": "vitals",
            "body": "血圧表と写真",
            "files": [upload("血圧.pdf", tiny_pdf()), upload("photo.jpg", tiny_png())],
        },
    )
    assert response.status_code == 302
    pdf_item, png_item = Attachment.objects.order_by("pk")
    assert (pdf_item.content_type, png_item.content_type) == ("application/pdf", "image/png")
    assert files.path_of(pdf_item.stored_name).is_relative_to(files.private_root())
    assert "static" not in str(files.private_root())
    # An image opens inline (tests/sharing/test_image_attachments_open_inline.py); asked for, it downloads.
    response = client.get(f"/patients/{patient.pk}/attachments/{png_item.pk}/?download=1")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == tiny_png()
    close_response(response)


def test_consent_scan_must_be_pdf_or_jpeg(client, cm, patient):
    verified_login(client, cm)
    response = client.post(
        f"/patients/{patient.pk}/consent/",
        {
            "given_by": "架空 花子",
            "relationship": "本人",
            "given_on": "2026-11-01",
            "method": "written",
            "scope": "ケアチームの全職種",
            "scan_file": upload("同意書.pdf", ELF),
        },
    )
    assert response.status_code == 400
    assert "PDF・JPEGのファイルだけを添付できます" in response.content.decode()
    assert patient.consents.count() == 0
