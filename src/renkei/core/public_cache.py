"""Anonymous answers of the public directory, cached per worker and keyed by the data's version.

The public search page, facility page, search API and map GeoJSON are the same for every resident who
asks the same URL, and they are most of the traffic on a busy morning. :func:`public_cache` answers a
repeated anonymous GET from the worker's memory, at the price of one primary-key read of
:class:`~renkei.core.models.PublicDataVersion`. Every write to the models of a followed app raises that
version in its own transaction (:func:`follow`; bulk writes call :func:`bump`), so the first request
after a commit renders afresh: a cached answer is never older than the last committed write. A
:data:`MAX_AGE` bound covers a write that sends no signal (``QuerySet.update`` outside the paths that
bump).

Only requests that carry nothing personal are answered from or stored in the cache: GET or HEAD, no
session or messages cookie, no ``Authorization`` header (API tokens see professional fields), and the
answer a 200 that sets no cookie and used no CSRF token.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models import F, Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse

from renkei.core.models import PublicDataVersion
from renkei.core.replica import replica_alias

DIRECTORY = "directory"
MAX_AGE = 300  # seconds
MAX_BYTES = 512 * 1024  # larger answers (a wide map) are rendered each time rather than held
CACHE_ALIAS = "public"


def current_version(name: str = DIRECTORY) -> int:
    """The version of the data an anonymous request reads: the replica's when one is configured (the
    version row replicates with the data, so a page rendered from a lagging replica is never stored
    under a version that the replica has not reached), else the primary's."""
    rows = PublicDataVersion.objects.using(replica_alias() or "default").filter(name=name)
    return next(iter(rows.values_list("version", flat=True)), 0)


def bump(name: str = DIRECTORY) -> None:
    """Raise the version in the current transaction, so the cache moves on exactly when it commits."""
    if not PublicDataVersion.objects.filter(name=name).update(version=F("version") + 1):
        PublicDataVersion.objects.get_or_create(name=name, defaults={"version": 1})


def follow(*models: type[Model], name: str = DIRECTORY) -> None:
    """Raise ``name``'s version on every save, delete and many-to-many change of ``models``."""

    def raised(sender: Any, **kwargs: Any) -> None:
        if not kwargs.get("raw"):  # a fixture being loaded is not a write to follow
            bump(name)

    for model in models:
        uid = f"public_cache:{name}:{model._meta.label}"
        post_save.connect(raised, sender=model, dispatch_uid=uid + ":save", weak=False)
        post_delete.connect(raised, sender=model, dispatch_uid=uid + ":delete", weak=False)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(raised, sender=through, dispatch_uid=uid + ":" + field.name, weak=False)


def _personal(request: HttpRequest) -> bool:
    return (
        request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    )


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and len(response.content) <= MAX_BYTES
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _key(request: HttpRequest, name: str, version: int) -> str:
    # HX-Request changes what some pages render (a fragment); the rest is the URL itself.
    url = f"{request.get_full_path()}|{request.headers.get('HX-Request', '')}"
    return f"{name}:{version}:{hashlib.sha256(url.encode()).hexdigest()}"


def public_cache(view: Callable[..., Any], name: str = DIRECTORY) -> Callable[..., Any]:
    """Answer repeated anonymous GETs of ``view`` from the cache. For Django Ninja operations use
    ``@decorate_view(public_cache)``."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if _personal(request):
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        key = _key(request, name, current_version(name))
        held = cache.get(key)
        if held is not None:
            status, headers, content = held
            response = HttpResponse(content, status=status)
            for header, value in headers:
                response[header] = value
            return response
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponse) and _storable(request, response):
            cache.set(key, (response.status_code, list(response.items()), response.content), MAX_AGE)
        return response

    return wrapped
