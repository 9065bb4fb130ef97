"""Outreach: printing the resource guides (public data, for anyone who works in the region)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from renkei.core.permissions.roles import is_region_member

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from renkei.core.models import User

    AnyUser = User | AnonymousUser


def can_print_resource_guides(user: AnyUser | None) -> bool:
    return is_region_member(user)
