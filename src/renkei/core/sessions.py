"""Sessions written when they change, and otherwise at most once a minute.

A session ends :setting:`SESSION_COOKIE_AGE` seconds (30 minutes) after it was last written. Django's
``SESSION_SAVE_EVERY_REQUEST`` keeps that an idle timeout by writing the session row on every request —
a read and an update in a transaction, on every professional page. :class:`RefreshingSessionMiddleware`
writes it only when the request changed it, or when its last write is at least
``SESSION_REFRESH_SECONDS`` (60) old; the time of that write is kept in the session itself. A person
active every minute stays signed in; one idle past the timeout is signed out, between
``SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS`` and ``SESSION_COOKIE_AGE`` seconds after the last request.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse

REFRESHED_KEY = "_renkei_session_refreshed"


class RefreshingSessionMiddleware(SessionMiddleware):
    """Django's session middleware, refreshing an unchanged session once a refresh interval has passed."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and response.status_code < 500:
            # An anonymous request without a session cookie is left untouched (no session is created).
            if session.modified or settings.SESSION_COOKIE_NAME in request.COOKIES:
                refreshed = session.get(REFRESHED_KEY)
                now = int(time.time())
                due = refreshed is None or now - refreshed >= settings.SESSION_REFRESH_SECONDS
                if not session.is_empty() and (session.modified or due):
                    session[REFRESHED_KEY] = now  # marks it modified: the parent writes it
        return super().process_response(request, response)
