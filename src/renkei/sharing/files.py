"""Uploaded files (attachments, consent scans): checked by content, stored outside the web root.

Files live under ``MEDIA_ROOT/private/sharing/`` with random names; no URL maps to that folder.
They are read back only by the permission-checked download views.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
# A photo from a phone or a scanned A4 page at 600 dpi stays far below this; a file claiming more
# is refused from its header, before Pillow allocates memory for its pixels (a 12000×12000 PNG of
# a few hundred KB would otherwise take several hundred MB to decode).
MAX_IMAGE_PIXELS = 40_000_000


class UploadRejected(Exception):
    """The file is refused; the message is for people (Japanese)."""


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    original_name: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def max_upload_bytes() -> int:
    return getattr(settings, "SHARING_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)


def private_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "private" / "sharing"


def limit_text(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g}MB"
    return f"{limit / 1024:g}KB"


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


_PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")


def _pdf_is_whole(content: bytes) -> bool:
    """A PDF that a reader can open: a version header, objects, a cross-reference (table or
    stream) pointed to by ``startxref``, and ``%%EOF`` at the end."""
    if not _PDF_HEADER.match(content):
        return False
    tail = content[-2048:]
    if b"%%EOF" not in tail:
        return False
    match = re.search(rb"startxref\s+(\d+)\s+%%EOF", tail)
    if match is None:
        return False
    offset = int(match.group(1))
    if offset <= 0 or offset >= len(content):
        return False
    at_offset = content[offset : offset + 64].lstrip()
    if not (at_offset.startswith(b"xref") or re.match(rb"\d+\s+\d+\s+obj", at_offset)):
        return False
    return b"/Root" in content or b"/Type /Catalog" in content or b"/Type/Catalog" in content


class _TooManyPixels(Exception):
    pass


def _image_is_whole(content: bytes) -> bool:
    """Whether the image decodes completely; :class:`_TooManyPixels` when its header announces
    more than :data:`MAX_IMAGE_PIXELS` (checked before any pixel is decoded)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise _TooManyPixels
        with Image.open(io.BytesIO(content)) as image:
            image.load()
    except (_TooManyPixels, Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard (far above ours) refuses at open; the same answer for people.
        raise _TooManyPixels from None
    except Exception:  # Pillow raises many kinds of errors for broken files
        return False
    return True


def check_upload(uploaded, allowed: tuple[str, ...] = (PDF, JPEG, PNG)) -> CheckedFile:
    """Read an uploaded file and decide what it is from its bytes, never from its name."""
    names = "・".join(LABELS[kind] for kind in allowed)
    limit = max_upload_bytes()
    if uploaded.size is not None and uploaded.size > limit:
        raise UploadRejected(
            f"ファイルが大きすぎます（上限 {limit_text(limit)}）。縮小するか分割してください。"
        )
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise UploadRejected(
            f"ファイルが大きすぎます（上限 {limit_text(limit)}）。縮小するか分割してください。"
        )
    if not content:
        raise UploadRejected("ファイルが空です。")
    kind = _sniff(content[:16])
    if kind is None or kind not in allowed:
        raise UploadRejected(
            f"このファイルは添付できません。{names}のファイルだけを添付できます（ファイル名ではなく中身で判定しています）。"
        )
    if kind == PDF and not _pdf_is_whole(content):
        raise UploadRejected("PDFファイルが壊れているため添付できません。元のファイルを確認してください。")
    if kind in (JPEG, PNG):
        try:
            whole = _image_is_whole(content)
        except _TooManyPixels:
            raise UploadRejected(
                f"{LABELS[kind]}画像の画素数が多すぎます（上限 {MAX_IMAGE_PIXELS // 10_000}万画素）。"
                "縮小してから添付してください。"
            ) from None
        if not whole:
            raise UploadRejected(
                f"{LABELS[kind]}画像が壊れているため添付できません。元のファイルを確認してください。"
            )
    original = Path(getattr(uploaded, "name", "") or "file").name[:150]
    return CheckedFile(
        content=content,
        content_type=kind,
        original_name=original,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def store(checked: CheckedFile) -> str:
    """Write the file under the private root; returns its stored name (random, no personal data)."""
    root = private_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{secrets.token_hex(16)}.{EXTENSIONS[checked.content_type]}"
    path = root / name
    with open(path, "xb") as handle:
        handle.write(checked.content)
    path.chmod(0o600)
    return name


def path_of(stored_name: str) -> Path:
    path = (private_root() / stored_name).resolve()
    if path.parent != private_root().resolve():
        raise FileNotFoundError(stored_name)
    return path


def remove(stored_name: str) -> None:
    try:
        path_of(stored_name).unlink()
    except FileNotFoundError:
        pass
