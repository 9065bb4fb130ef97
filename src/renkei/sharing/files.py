"""Sharing's uploaded files (timeline attachments, consent scans), through :mod:`renkei.core.uploads`:
checked by content, stored under ``MEDIA_ROOT/private/sharing/`` with random names, read back only
by the permission-checked downloads."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse

from renkei.core import images, uploads
from renkei.core.images import NotAnImage
from renkei.core.uploads import EXTENSIONS, JPEG, PDF, PNG, CheckedFile, Upload, UploadRejected

__all__ = ["EXTENSIONS", "JPEG", "PDF", "PNG", "CheckedFile", "NotAnImage", "UploadRejected"]

AREA = "sharing"
ATTACHMENT_KINDS = (PDF, JPEG, PNG)
CONSENT_SCAN_KINDS = (PDF, JPEG)


def max_upload_bytes() -> int:
    return getattr(settings, "SHARING_MAX_UPLOAD_BYTES", uploads.DEFAULT_MAX_BYTES)


def check_upload(uploaded: Upload, allowed: tuple[str, ...] = ATTACHMENT_KINDS) -> CheckedFile:
    return uploads.check(uploaded, allowed=allowed, max_bytes=max_upload_bytes())


def private_root() -> Path:
    return uploads.private_root(AREA)


def store(checked: CheckedFile) -> str:
    return uploads.store(checked, AREA)


def path_of(stored_name: str) -> Path:
    return uploads.path_of(stored_name, AREA)


def remove(stored_name: str) -> None:
    images.remove(stored_name, AREA)


def download(stored_name: str, content_type: str, filename: str) -> FileResponse:
    return uploads.download_response(stored_name, AREA, content_type=content_type, filename=filename)


def is_image(content_type: str) -> bool:
    return images.is_image(content_type)


def show_inline(stored_name: str, content_type: str, filename: str) -> FileResponse:
    return images.inline_response(stored_name, AREA, content_type=content_type, filename=filename)


def thumbnail(stored_name: str, content_type: str) -> FileResponse:
    return images.thumbnail_response(stored_name, AREA, kind=content_type)
