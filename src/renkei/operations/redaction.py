"""What of a request's path may be written to a log: never a token or personal data.

A log line names the route a request matched (``/patients/<int:pk>/timeline/``), never the concrete
path: update-link and password-reset tokens, patient numbers and search words stay out. A path that
matched no route (a 404, a static file served before routing) keeps only its harmless segments —
lower-case words — and shows every other segment as ``<?>``; static files keep their (public, hashed)
names. The route is left in the WSGI environ by :class:`renkei.operations.health.ServingMiddleware`.
"""

from __future__ import annotations

import logging
import re

_WORD = re.compile(r"[a-z][a-z_.-]{0,39}")
STATIC_PREFIX = "/static/"
ROUTE_KEY = "renkei.route"


def redact_path(path: str, route: str | None = None) -> str:
    """The path as a log may show it."""
    if route:
        return route
    if path.startswith(STATIC_PREFIX) and ".." not in path:
        return path
    segments = path.split("/")
    return "/".join(segment if not segment or _WORD.fullmatch(segment) else "<?>" for segment in segments)


class RedactRequestPaths(logging.Filter):
    """Rewrites the request path in Django's request warnings (``Not Found: …``, ``Forbidden (CSRF
    …): …``) to the form the access log uses."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path and isinstance(record.args, tuple):
            meta = getattr(request, "META", {})
            shown = redact_path(path, meta.get(ROUTE_KEY))
            record.args = tuple(shown if arg == path else arg for arg in record.args)
        return True
