"""Request bodies that carry files are bounded before anything is written to disk.

Django bounds the form fields of a request (``DATA_UPLOAD_MAX_MEMORY_SIZE``) and the number of files
(``DATA_UPLOAD_MAX_NUMBER_FILES``) but streams files of any size to temporary files. This handler,
first in ``FILE_UPLOAD_HANDLERS``, refuses a request larger than ``RENKEI_MAX_REQUEST_BYTES`` from its
Content-Length, before the body is read; each form then bounds its own files further.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


def too_big_message() -> str:
    limit = settings.RENKEI_MAX_REQUEST_BYTES // (1024 * 1024)
    return f"送信されたファイルが大きすぎます（1回の送信で合計{limit}MBまで）。ファイルを分けて送信してください。"


class UploadTooBig(RequestDataTooBig):
    """A request over ``RENKEI_MAX_REQUEST_BYTES``; the message is Japanese, for people."""


class BoundedUploadHandler(FileUploadHandler):
    received = 0

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: str | None = None
    ) -> None:
        if content_length > settings.RENKEI_MAX_REQUEST_BYTES:
            raise UploadTooBig(too_big_message())
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        # Django reads no more than the Content-Length; counting keeps the bound if that ever changes.
        self.received += len(raw_data)
        if self.received > settings.RENKEI_MAX_REQUEST_BYTES:
            raise UploadTooBig(too_big_message())
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
