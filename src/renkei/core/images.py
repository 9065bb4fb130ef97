"""Images that passed :func:`renkei.core.uploads.check` (JPEG, PNG), shown in the browser rather
than downloaded: the full image inline in a sandbox, and a small thumbnail made once per file.

A thumbnail is made from the stored file on its first request and kept beside it under
``MEDIA_ROOT/private/<area>/thumbnails/`` (the stored name's stem, ``.jpg``); :func:`remove`
deletes it with the file. It is made only from a JPEG or PNG whose header announces no more than
:data:`~renkei.core.uploads.MAX_IMAGE_PIXELS` (checked before any pixel is decoded; Pillow's own
decompression-bomb guard is further above), and is at most :data:`THUMBNAIL_SIDE` pixels a side.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.http import FileResponse

from renkei.core.http import NO_STORE
from renkei.core.uploads import (
    EXTENSIONS,
    JPEG,
    MAX_IMAGE_PIXELS,
    PNG,
    open_stored,
    path_of,
    safe_file_name,
    store_as,
)
from renkei.core.uploads import remove as remove_file

IMAGE_KINDS = (JPEG, PNG)
THUMBNAIL_SIDE = 320
THUMBNAIL_FOLDER = "thumbnails"
# The image opened as a page of its own: it may show itself, and nothing else runs or loads.
INLINE_IMAGE_CSP = "default-src 'none'; img-src 'self'; sandbox"
_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}


class NotAnImage(ValueError):
    """The stored file is not an image this module shows (or no longer decodes as one)."""


def is_image(content_type: str) -> bool:
    return content_type in IMAGE_KINDS


def _secured(response: FileResponse, disposition: str) -> FileResponse:
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = NO_STORE
    response["Content-Security-Policy"] = INLINE_IMAGE_CSP
    return response


def inline_response(stored_name: str, area: str, *, content_type: str, filename: str) -> FileResponse:
    """The stored image shown by the browser, for a caller that has checked the reader's permission."""
    if not is_image(content_type):
        raise NotAnImage(content_type)
    response = FileResponse(
        open_stored(stored_name, area),
        content_type=content_type,
        as_attachment=False,
        filename=safe_file_name(filename, content_type),
    )
    return _secured(response, response["Content-Disposition"])


def _thumbnail_name(stored_name: str) -> str:
    return f"{Path(stored_name).stem}.jpg"


def _thumbnails(area: str) -> str:
    return f"{area}/{THUMBNAIL_FOLDER}"


def thumbnail_path(stored_name: str, area: str) -> Path:
    """Where the disk storage keeps the image's thumbnail (a bucket keeps it under the same name)."""
    return path_of(_thumbnail_name(stored_name), _thumbnails(area))


def make_thumbnail(content: bytes, kind: str, side: int = THUMBNAIL_SIDE) -> bytes:
    """A JPEG at most ``side`` pixels a side of the image ``content`` (of type ``kind``)."""
    from PIL import Image, ImageOps

    if not is_image(kind):
        raise NotAnImage(kind)
    try:
        with Image.open(io.BytesIO(content), formats=[_PILLOW_FORMATS[kind]]) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise NotAnImage("too many pixels")
            image.draft("RGB", (side, side))  # a JPEG decodes at a reduced scale: less memory
            shown = ImageOps.exif_transpose(image)
            shown.thumbnail((side, side))
            if shown.mode in ("RGBA", "LA", "P"):
                shown = shown.convert("RGBA")
                background = Image.new("RGB", shown.size, (255, 255, 255))
                background.paste(shown, mask=shown.getchannel("A"))
                shown = background
            out = io.BytesIO()
            shown.convert("RGB").save(out, format="JPEG", quality=80)
    except NotAnImage:
        raise
    except Exception as exc:  # Pillow raises many kinds of errors for broken files and bombs
        raise NotAnImage(str(exc)) from exc
    return out.getvalue()


def thumbnail(stored_name: str, area: str, kind: str) -> bytes:
    """The stored image's thumbnail, made on the first request and kept in the private storage."""
    try:
        with open_stored(_thumbnail_name(stored_name), _thumbnails(area)) as kept:
            return kept.read()
    except FileNotFoundError:
        pass
    with open_stored(stored_name, area) as source:
        content = make_thumbnail(source.read(), kind)
    store_as(content, _thumbnail_name(stored_name), _thumbnails(area))
    return content


def thumbnail_response(stored_name: str, area: str, *, kind: str) -> FileResponse:
    """The thumbnail of a stored image, for a caller that has checked the reader's permission."""
    response = FileResponse(io.BytesIO(thumbnail(stored_name, area, kind)), content_type=JPEG)
    return _secured(response, f'inline; filename="thumbnail.{EXTENSIONS[JPEG]}"')


def remove(stored_name: str, area: str) -> None:
    """Delete a stored file and its thumbnail, if one was made."""
    remove_file(_thumbnail_name(stored_name), _thumbnails(area))
    remove_file(stored_name, area)
