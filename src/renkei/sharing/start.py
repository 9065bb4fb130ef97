"""The start page's panel of care-team sharing: 至急/未読 counts and the person's patients.

Names are shown only to a session that passed the second factor (as on every page of this app);
before that, the counts and a link that asks for the code."""

from __future__ import annotations

from django.http import HttpRequest

from renkei.core import permissions, two_factor
from renkei.core.models import User
from renkei.sharing import services

SHOWN_PATIENTS = 10


def panel(request: HttpRequest) -> dict | None:
    user = request.user
    if not isinstance(user, User) or not permissions.can_have_patients(user):
        return None
    entries = services.home_list(user)
    verified = two_factor.is_verified(request)
    return {
        "urgent": sum(entry.unread_urgent for entry in entries),
        "invitations": sum(entry.new_invitation for entry in entries),
        "unread": sum(entry.unread for entry in entries),
        "count": len(entries),
        "verified": verified,
        "patients": entries[:SHOWN_PATIENTS] if verified else [],
        "more": max(0, len(entries) - SHOWN_PATIENTS),
    }
