"""A person's own account: their e-mail address, the second factor and personal API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from renkei.core.models import User
from renkei.core.permissions.roles import _active

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


# --- two-factor authentication and personal API tokens ---


def can_manage_own_two_factor(user: AnyUser | None) -> bool:
    """Everyone who logs in — region administrators, municipality staff, professionals — may set up TOTP."""
    return _active(user)


def can_manage_own_api_tokens(user: AnyUser | None) -> bool:
    """Any active person may hold personal API tokens; the pages also require a TOTP-verified session.
    Not 消防・警察 accounts: they read the kit on their one page and have no API."""
    return _active(user) and user.role != User.Role.EMERGENCY_SERVICES


def can_edit_own_account(user: AnyUser | None) -> bool:
    """Everyone who logs in sets their own e-mail address (where notifications and reset mail go)."""
    return _active(user)
