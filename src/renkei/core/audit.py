"""The access log: every read or change of personal data writes one row, through this function only.

Services write it themselves (see the service contract in :mod:`renkei.core.services`); they name the
acting user, never the request. Where the read came from — a page, the API, a command — and the
client's address are taken from :class:`AccessOriginMiddleware`, which records them for the duration
of each request; outside a request (``renkei`` commands) the origin is ``cli`` with no address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse

from renkei.core.client_address import client_address
from renkei.core.models import AccessLog

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from renkei.core.models import User

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Origin:
    """Where a read or change came from: ``web``, ``api`` or ``cli``, and the client's address."""

    via: str
    ip_address: str | None = None

    @classmethod
    def of(cls, request: HttpRequest) -> Origin:
        via = "api" if request.path.startswith("/api/") else "web"
        # The person's address, not a reverse proxy's (see ``RENKEI_TRUSTED_PROXY_COUNT``).
        return cls(via, client_address(request))


COMMAND = Origin("cli")
_current_origin: ContextVar[Origin] = ContextVar("renkei_access_origin", default=COMMAND)


def current_origin() -> Origin:
    return _current_origin.get()


class AccessOriginMiddleware:
    """Records the request's origin for the access log while the request is served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_origin.set(Origin.of(request))
        try:
            return self.get_response(request)
        finally:
            _current_origin.reset(token)


def _row(
    actor: AnyUser | None,
    *,
    action: str,
    subject_type: str,
    subject_id: object,
    object_type: str = "",
    object_id: object = "",
    flagged: bool = False,
    reason: str = "",
) -> AccessLog:
    origin = current_origin()
    user = actor if actor is not None and actor.is_authenticated else None
    return AccessLog(
        user=user,
        organization_id=getattr(user, "organization_id", None),
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        object_type=object_type,
        object_id="" if object_id in (None, "") else str(object_id),
        ip_address=origin.ip_address,
        via=origin.via,
        flagged=flagged,
        reason=reason,
    )


def record_access(
    actor: AnyUser | None,
    *,
    action: str,
    subject_type: str,
    subject_id: object,
    object_type: str = "",
    object_id: object = "",
    flagged: bool = False,
    reason: str = "",
) -> AccessLog:
    """Write one access-log row for ``actor`` (the acting user; None or anonymous: nobody logged
    in). ``subject`` is what the data is about (e.g. a patient), ``object`` the thing read or
    changed (a post, an attachment, a PDF). Where it came from is :func:`current_origin`."""
    row = _row(
        actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        object_type=object_type,
        object_id=object_id,
        flagged=flagged,
        reason=reason,
    )
    row.save()
    return row


def record_accesses(
    actor: AnyUser | None, *, action: str, subject_type: str, reads: Iterable[tuple[object, str, object]]
) -> None:
    """Write one row per ``(subject_id, object_type, object_id)`` read, as :func:`record_access`
    would, in batched inserts: for a command that reads thousands of records at once."""
    rows = [
        _row(
            actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            object_type=object_type,
            object_id=object_id,
        )
        for subject_id, object_type, object_id in reads
    ]
    AccessLog.objects.bulk_create(rows, batch_size=500)
