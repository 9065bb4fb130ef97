"""Image attachments open in the browser (sandboxed, never cached) with a thumbnail in the timeline;
other attachments download as before. Each look is in the access log; only the team sees them."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from renkei.core import images
from renkei.core.models import AccessLog
from renkei.sharing import files
from renkei.sharing.models import Attachment
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, close_response, give_consent, tiny_pdf, upload


def _jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def posted(client, cm, patient):
    verified_login(client, cm)
    response = client.post(
        f"/patients/{patient.pk}/posts/",
        {
            "category": "vitals",
            "body": "褥瘡の写真",
            "files": [upload("褥瘡.jpg", _jpeg(1200, 900)), upload("血圧.pdf", tiny_pdf())],
        },
    )
    assert response.status_code == 302
    photo, pdf = Attachment.objects.order_by("pk")
    return photo, pdf


def _body(response) -> bytes:
    content = b"".join(response.streaming_content)
    close_response(response)
    return content


def test_an_image_opens_inline_in_a_sandbox_and_is_logged_as_a_view(client, cm, patient, posted):
    photo, _ = posted
    response = client.get(f"/patients/{patient.pk}/attachments/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert _body(response) == files.path_of(photo.stored_name).read_bytes()
    log = AccessLog.objects.filter(user=cm, object_type="attachment", object_id=str(photo.pk))
    assert list(log.values_list("action", flat=True)) == ["view"]


def test_a_pdf_still_downloads(client, cm, patient, posted):
    _, pdf = posted
    response = client.get(f"/patients/{patient.pk}/attachments/{pdf.pk}/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    close_response(response)
    assert AccessLog.objects.get(object_type="attachment", object_id=str(pdf.pk)).action == "download"
    # A PDF has no thumbnail, and nothing is made for one.
    assert client.get(f"/patients/{patient.pk}/attachments/{pdf.pk}/thumbnail/").status_code == 404
    assert not images.thumbnail_path(pdf.stored_name, files.AREA).exists()


def test_the_timeline_shows_a_thumbnail_made_once_and_bounded(client, cm, patient, posted):
    photo, pdf = posted
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    thumbnail_url = f"/patients/{patient.pk}/attachments/{photo.pk}/thumbnail/"
    assert f'<img src="{thumbnail_url}" alt="褥瘡.jpg"' in page
    assert f"/patients/{patient.pk}/attachments/{pdf.pk}/thumbnail/" not in page
    response = client.get(thumbnail_url)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    first = _body(response)
    with Image.open(io.BytesIO(first)) as thumbnail:
        assert thumbnail.size == (320, 240)
    stored = images.thumbnail_path(photo.stored_name, files.AREA)
    assert stored.is_relative_to(files.private_root())
    made_at = stored.stat().st_mtime_ns
    assert _body(client.get(thumbnail_url)) == first
    assert stored.stat().st_mtime_ns == made_at  # kept, not made again
    views = AccessLog.objects.filter(user=cm, object_type="attachment_thumbnail", object_id=str(photo.pk))
    assert list(views.values_list("action", flat=True)) == ["view", "view"]


def test_only_the_team_under_consent_sees_an_image_or_its_thumbnail(client, cm, carol, patient, posted):
    photo, _ = posted
    urls = [
        f"/patients/{patient.pk}/attachments/{photo.pk}/",
        f"/patients/{patient.pk}/attachments/{photo.pk}/thumbnail/",
    ]
    add_member(patient, cm, carol)
    verified_login(client, carol)  # on the team, but no consent yet
    assert [client.get(url).status_code for url in urls] == [403, 403]
    give_consent(patient, cm)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        close_response(response)


def test_a_thumbnail_is_never_made_from_a_non_image_or_an_image_bomb():
    with pytest.raises(images.NotAnImage):
        images.make_thumbnail(tiny_pdf(), "application/pdf")
    with pytest.raises(images.NotAnImage):
        images.make_thumbnail(tiny_pdf(), "image/jpeg")  # claims to be a JPEG
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, format="PNG")  # 64 million pixels, a few KB
    with pytest.raises(images.NotAnImage):
        images.make_thumbnail(out.getvalue(), "image/png")


def test_removing_an_attachment_removes_its_thumbnail(client, patient, posted):
    photo, _ = posted
    close_response(client.get(f"/patients/{patient.pk}/attachments/{photo.pk}/thumbnail/"))
    stored = images.thumbnail_path(photo.stored_name, files.AREA)
    assert stored.exists()
    files.remove(photo.stored_name)
    assert not stored.exists()
    assert not files.path_of(photo.stored_name).exists()
