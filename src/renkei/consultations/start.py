"""The start page's panel of the consultation desk: the follow-ups due (counts only; the records
themselves are behind the second factor on the list page)."""

from __future__ import annotations

from django.http import HttpRequest

from renkei.consultations import services
from renkei.core import permissions


def panel(request: HttpRequest) -> dict | None:
    desk = permissions.consultation_desk_of(request.user)
    if desk is None:
        return None
    return {"desk": desk, "due": services.due_for_follow_up([desk])}
