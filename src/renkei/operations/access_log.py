"""The server's access log (gunicorn's, through :class:`AccessLogger`), which never holds a token or
personal data: the path as :func:`renkei.operations.redaction.redact_path` shows it, and no query string,
referrer, user name, cookie or header. Gunicorn's own error lines quote the raw request line of a
request it could not parse (``Invalid request from ip=…: … 'GET /update/<token>?q=… HTTP/1.1'``);
:class:`RedactUris` rewrites every path in them the same way.
"""

from __future__ import annotations

import logging
import os
import re

from gunicorn.glogging import Logger

from renkei.operations.redaction import ROUTE_KEY, redact_path

ACCESS_FORMAT = "%(t)s %(h)s %(m)s %(U)s %(s)s %(b)s %(M)sms %(p)s"


_ABSOLUTE_URI = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"]*")
_PATH = re.compile(r"(?<![\w.~-])/[^\s'\"]*")


def redact_uris(text: str) -> str:
    text = _ABSOLUTE_URI.sub("<uri>", text)
    return _PATH.sub(lambda match: redact_path(match.group().split("?", 1)[0]), text)


class RedactUris(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact_uris(record.getMessage()), ()
        return True


class AccessLogger(Logger):
    """Gunicorn's logger with only the safe atoms: whatever ``access_log_format`` asks for beyond
    them (headers, cookies, the query string, the referrer, the user) comes out as ``-``."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(RedactUris())

    def atoms(self, resp, req, environ, request_time) -> dict[str, object]:
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        sent = getattr(resp, "sent", None)
        path = redact_path(environ.get("PATH_INFO", ""), environ.get(ROUTE_KEY))
        millis = request_time.seconds * 1000 + request_time.microseconds // 1000
        return {
            "h": environ.get("REMOTE_ADDR", "-"),
            "t": self.now(),
            "m": environ.get("REQUEST_METHOD"),
            "U": path,
            "r": f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}",
            "s": status,
            "b": str(sent) if sent is not None else "-",
            "B": sent,
            "M": millis,
            "D": request_time.seconds * 1_000_000 + request_time.microseconds,
            "L": f"{request_time.seconds}.{request_time.microseconds:06d}",
            "p": f"<{os.getpid()}>",
        }
