"""A small file can declare a huge image (a "decompression bomb"): a PNG of a few hundred KB that
decodes to 12000×12000 pixels. Such images are refused from their header, with a Japanese
message, before any pixel is decoded, and nothing is stored."""

from __future__ import annotations

import struct
import zlib

import pytest

from renkei.sharing import files
from renkei.sharing.models import Attachment, Post
from tests.core.totp import verified_login
from tests.sharing.conftest import upload


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def blank_png(width: int, height: int) -> bytes:
    """A valid black-and-white PNG of the given size, written by hand (1 bit per pixel, so
    building even a huge one costs the test little memory)."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte, then the packed bits
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def _stored_files():
    root = files.private_root()
    return sorted(path.name for path in root.iterdir()) if root.exists() else []


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Pillow's notice; we refuse anyway
def test_care_manager_cannot_attach_a_small_png_that_decodes_to_144_million_pixels(client, cm, patient):
    bomb = blank_png(12000, 12000)
    assert len(bomb) < 1024 * 1024  # small on the wire
    before = _stored_files()
    verified_login(client, cm)

    response = client.post(
        f"/patients/{patient.pk}/posts/",
        {"category": "contact", "body": "写真を添付します。", "files": [upload("写真.png", bomb)]},
    )

    assert response.status_code == 400
    assert "PNG画像の画素数が多すぎます（上限 4000万画素）" in response.content.decode()
    assert Post.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert _stored_files() == before


def test_an_image_of_exactly_forty_million_pixels_is_accepted_and_one_row_more_is_not():
    accepted = files.check_upload(upload("scan.png", blank_png(8000, 5000)))
    assert accepted.content_type == "image/png"
    with pytest.raises(files.UploadRejected, match="画素数が多すぎます"):
        files.check_upload(upload("scan.png", blank_png(8000, 5001)))
