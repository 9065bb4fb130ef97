"""The address of the person behind a request, also when Renkei runs behind reverse proxies.

``RENKEI_TRUSTED_PROXY_COUNT`` (default 0) says how many proxies of our own stand in front of Renkei.
Each appends the address it received the request from to ``X-Forwarded-For``, so with N trusted
proxies the client is the N-th entry from the right; entries further left were sent by the client
itself and cannot be trusted. With 0, or when the header has fewer entries than expected (a request
that did not come through the proxies), ``REMOTE_ADDR`` is used."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "RENKEI_TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    entries = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [part for part in entries if part]
    if len(entries) < count:
        return remote
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
