"""The access log: every read or change of personal data writes one row, through this function only."""

from __future__ import annotations

from django.http import HttpRequest

from renkei.core.client_address import client_address
from renkei.core.models import AccessLog


def client_ip(request: HttpRequest | None) -> str | None:
    """The person's address, not a reverse proxy's (see ``RENKEI_TRUSTED_PROXY_COUNT``)."""
    if request is None:
        return None
    return client_address(request)


def record_access(
    request: HttpRequest | None,
    *,
    action: str,
    subject_type: str,
    subject_id: object,
    object_type: str = "",
    object_id: object = "",
    user=None,
    via: str | None = None,
    flagged: bool = False,
    reason: str = "",
) -> AccessLog:
    """Write one access-log row. ``subject`` is what the data is about (e.g. a patient), ``object``
    the thing read or changed (a post, an attachment, a PDF)."""
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    if via is None:
        via = "api" if request is not None and request.path.startswith("/api/") else "web"
    return AccessLog.objects.create(
        user=user,
        organization_id=getattr(user, "organization_id", None),
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        object_type=object_type,
        object_id="" if object_id in (None, "") else str(object_id),
        ip_address=client_ip(request),
        via=via,
        flagged=flagged,
        reason=reason,
    )
