"""Uploaded files holding personal data: checked by their content, stored outside the web root, read
back only through a permission-checked view.

Every area uses the same three steps::

    checked = uploads.check(uploaded, allowed=(uploads.PDF, uploads.JPEG), max_bytes=...)
    name = uploads.store(checked, area="sharing")       # a random name, no personal data
    return uploads.download_response(name, area="sharing", content_type=..., filename=...)

Files of an area live in the private storage (:func:`private_storage`) as ``private/<area>/<name>``: on
the local disk under ``MEDIA_ROOT`` (``RENKEI_VAR_DIR/media/private/…``), or in an S3-compatible bucket;
no URL maps to them. A refused file raises :class:`UploadRejected` (a
:class:`~renkei.core.services.RuleError`) with a Japanese message and nothing is written.
"""

from __future__ import annotations

import errno
import hashlib
import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.http import FileResponse

from renkei.core.http import NO_STORE
from renkei.core.services import RuleError
from renkei.core.text import BIDI_CONTROLS

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
# The endings a name of each kind may already have (kept as the person wrote them).
_OWN_EXTENSIONS = {PDF: {"pdf"}, JPEG: {"jpg", "jpeg"}, PNG: {"png"}}
MAX_NAME_LENGTH = 150
# Control characters of any kind (tab and line breaks too) and path separators have no place in a
# file name; bidirectional controls would make it display as something else.
_NOT_IN_NAMES = re.compile(r"[\x00-\x1f\x7f-\x9f/\\]")
LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# A photo from a phone or a scanned A4 page at 600 dpi stays far below this; a file claiming more
# is refused from its header, before Pillow allocates memory for its pixels (a 12000×12000 PNG of
# a few hundred KB would otherwise take several hundred MB to decode).
MAX_IMAGE_PIXELS = 40_000_000
# A downloaded file opened in the browser runs nothing and loads nothing.
SANDBOX_CSP = "default-src 'none'; sandbox"


class UploadRejected(RuleError):
    """The file is refused; the message is for people (Japanese) and says it all (no details)."""

    code = "upload_rejected"

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message, field, errors=[{"field": field, "message": message}] if field else [])


class Upload(Protocol):
    """What Django's ``UploadedFile`` offers and the checks use."""

    @property
    def size(self) -> int | None: ...

    @property
    def name(self) -> str | None: ...

    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    original_name: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


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


def _too_big(limit: int) -> UploadRejected:
    return UploadRejected(f"ファイルが大きすぎます（上限 {limit_text(limit)}）。縮小するか分割してください。")


def _check_content(kind: str, content: bytes) -> None:
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


def check(
    uploaded: Upload, allowed: tuple[str, ...] = (PDF, JPEG, PNG), max_bytes: int = DEFAULT_MAX_BYTES
) -> CheckedFile:
    """Read an uploaded file and decide what it is from its bytes, never from its name: one of
    ``allowed``, whole (a PDF a reader opens, an image that decodes), at most ``max_bytes``."""
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise _too_big(max_bytes)
    content = uploaded.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise _too_big(max_bytes)
    if not content:
        raise UploadRejected("ファイルが空です。")
    kind = _sniff(content[:16])
    if kind is None or kind not in allowed:
        names = "・".join(LABELS[kind] for kind in allowed)
        raise UploadRejected(
            f"このファイルは添付できません。{names}のファイルだけを添付できます（ファイル名ではなく中身で判定しています）。"
        )
    _check_content(kind, content)
    return CheckedFile(
        content=content,
        content_type=kind,
        original_name=safe_file_name(getattr(uploaded, "name", "") or "", kind),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def safe_file_name(name: str, kind: str) -> str:
    """The name an uploaded file is shown and downloaded under: without folders, control or
    bidirectional characters, at most :data:`MAX_NAME_LENGTH` characters with its extension kept,
    and always ending with the extension of ``kind`` (the type detected from its bytes): a PDF
    named 「請求書.exe」 becomes 「請求書.exe.pdf」."""
    name = BIDI_CONTROLS.sub("", name)
    name = _NOT_IN_NAMES.sub(" ", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot or extension.lower() not in _OWN_EXTENSIONS[kind]:
        stem, extension = name, EXTENSIONS[kind]
    stem = stem.strip(" .")[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .") or "file"
    return f"{stem}.{extension}"


PRIVATE_STORAGE = "private"


def private_storage() -> Storage:
    """Where uploaded files live: ``STORAGES["private"]`` — the local disk under ``MEDIA_ROOT`` by
    default, an S3-compatible bucket when ``RENKEI_S3_BUCKET`` is set (docs/scaling.md)."""
    return storages[PRIVATE_STORAGE]


def private_root(area: str) -> Path:
    """The local folder of one area's private files (``MEDIA_ROOT/private/<area>/``), for the disk
    storage; a bucket has no folder."""
    return Path(settings.MEDIA_ROOT) / "private" / area


def _key(stored_name: str, area: str) -> str:
    """The file's name in the storage; :class:`FileNotFoundError` for a name that would leave the
    area's folder (no separators, no leading dot)."""
    if not stored_name or "/" in stored_name or "\\" in stored_name or stored_name.startswith("."):
        raise FileNotFoundError(stored_name)
    return f"private/{area}/{stored_name}"


def store(checked: CheckedFile, area: str) -> str:
    """Write the file to the private storage, readable by this process only (on disk: mode 600 in a
    700 folder); returns its stored name (random, no personal data)."""
    name = f"{secrets.token_hex(16)}.{checked.extension}"
    key = _key(name, area)
    try:
        saved = private_storage().save(key, ContentFile(checked.content))
    except OSError as exc:
        # A disk full (or a quota reached) part-way leaves a truncated file: never keep it.
        private_storage().delete(key)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UploadRejected(
                "保存先の空き容量が不足しているため、ファイルを保存できませんでした。"
                "内容は保存されていません。システム管理者にお知らせください。"
            ) from exc
        raise
    return saved.rsplit("/", 1)[-1]


def store_as(content: bytes, stored_name: str, area: str) -> None:
    """Keep ``content`` under a name of the caller's choosing (e.g. a thumbnail named after its image).
    When two requests write the same name at once, the second copy is dropped: both held the same bytes."""
    key = _key(stored_name, area)
    saved = private_storage().save(key, ContentFile(content))
    if saved != key:
        private_storage().delete(saved)


def open_stored(stored_name: str, area: str) -> File:
    """The stored file, open for reading; :class:`FileNotFoundError` when it is not there."""
    key = _key(stored_name, area)
    storage = private_storage()
    if not storage.exists(key):
        raise FileNotFoundError(stored_name)
    return storage.open(key, "rb")


def path_of(stored_name: str, area: str) -> Path:
    """The file's path on the local disk storage (a bucket has none)."""
    return Path(private_storage().path(_key(stored_name, area)))


def remove(stored_name: str, area: str) -> None:
    try:
        private_storage().delete(_key(stored_name, area))
    except FileNotFoundError:
        pass


def download_response(stored_name: str, area: str, *, content_type: str, filename: str) -> FileResponse:
    """The stored file as a download, for a caller that has checked the reader's permission: never
    cached, never sniffed into another type, run in a sandbox if the browser opens it."""
    response = FileResponse(
        open_stored(stored_name, area),
        content_type=content_type,
        as_attachment=True,
        # Names stored before the check above are made safe here too.
        filename=safe_file_name(filename, content_type) if content_type in EXTENSIONS else filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = NO_STORE
    response["Content-Security-Policy"] = SANDBOX_CSP
    return response
