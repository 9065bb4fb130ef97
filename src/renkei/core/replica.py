"""Public reads of the directory from a PostgreSQL read replica.

With ``DATABASE_REPLICA_URL`` set, the ``replica`` database alias points at a streaming replica of the
primary. A view marked :func:`public_read` answers an *anonymous* visitor's GET from it: the search page,
a facility page, the search API and the map's GeoJSON — the traffic that grows with residents, not with
staff. Everything else reads and writes the primary:

- staff and professionals (signed in) always read the primary, so an edit is never hidden by replica lag;
- only the directory's tables are read from the replica (sessions, users and the access log never are);
- writes always go to the primary, and Django's ``migrate`` touches only the primary (the replica
  receives the schema by replication).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest

# The apps whose tables the public pages read. A replica lags a little: nothing here may be read there
# that a signed-in person just wrote and expects to see.
PUBLIC_APPS = frozenset({"directory"})

_reading_publicly: ContextVar[bool] = ContextVar("renkei_public_read", default=False)


def replica_alias() -> str | None:
    """The replica's database alias when one is configured, else ``None``."""
    return getattr(settings, "RENKEI_READ_REPLICA", None) or None


@contextmanager
def public_reads() -> Iterator[None]:
    """Within this block, reads of :data:`PUBLIC_APPS` go to the replica (when there is one)."""
    token = _reading_publicly.set(True)
    try:
        yield
    finally:
        _reading_publicly.reset(token)


def public_read(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answer an anonymous GET/HEAD of this view from the replica. For Django Ninja operations use
    ``@decorate_view(public_read)``."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        anonymous = not getattr(request, "user", None) or not request.user.is_authenticated
        if anonymous and request.method in ("GET", "HEAD") and replica_alias():
            with public_reads():
                return view(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return wrapped


class PublicReadsToReplica:
    """The database router of ``DATABASE_ROUTERS`` (a no-op while no replica is configured)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        alias = replica_alias()
        if alias and _reading_publicly.get() and model._meta.app_label in PUBLIC_APPS:
            return alias
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Both aliases hold the same rows (one replicates the other).
        return True
