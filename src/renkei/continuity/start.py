"""The start page's panel: the person's ACP records whose review date has passed."""

from __future__ import annotations

from django.http import HttpRequest

from renkei.core import permissions, two_factor
from renkei.core.models import User


def panel(request: HttpRequest) -> dict | None:
    from renkei.continuity import services

    user = request.user
    if not isinstance(user, User) or not permissions.can_have_patients(user):
        return None
    if not two_factor.is_verified(request):
        return None
    overdue = services.overdue_reviews(user)
    return {"overdue": overdue} if overdue else None
