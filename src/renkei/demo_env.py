"""The development settings of ``make run`` for the ``renkei`` command typed afterwards.

``make run`` serves with ``DEBUG=1`` set for itself only, and writes ``var/renkei.env`` so that the
operator commands the README shows next (``.venv/bin/renkei regions list`` …) find the same settings
instead of stopping for want of a ``SECRET_KEY``. Only the ``renkei`` command reads the file (the WSGI
and ASGI servers never do), only when the file turns ``DEBUG`` on, and never when the environment
already says ``DEBUG`` or ``SECRET_KEY``: a production server is configured by its environment, and
there the file is ignored even when one was left behind.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

FILE_NAME = "renkei.env"
# The file may say no more than ``make run`` itself sets: DEBUG, and the address it serves (so that the
# links in mail sent by a command — update links, notifications — open the demo that is running).
_KEYS = {"DEBUG", "SITE_URL"}
_TRUE = {"1", "true", "yes", "on"}


def var_dir(environ: MutableMapping[str, str] = os.environ) -> Path:
    """``var/`` beside ``src/`` in a source checkout, else ``RENKEI_VAR_DIR`` (as in the settings)."""
    default = Path(__file__).resolve().parent.parent.parent / "var"
    return Path(environ.get("RENKEI_VAR_DIR") or default).resolve()


def apply(environ: MutableMapping[str, str] = os.environ) -> Path | None:
    """Add the file's settings to ``environ`` when it applies; the file read, or None."""
    if "DEBUG" in environ or "SECRET_KEY" in environ:
        return None
    path = var_dir(environ) / FILE_NAME
    if not path.is_file():
        return None
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key.strip() in _KEYS:
            values[key.strip()] = value.strip()
    if values.get("DEBUG", "").lower() not in _TRUE:
        return None
    for key, value in values.items():
        environ.setdefault(key, value)  # a SITE_URL of the environment's own stays
    return path
