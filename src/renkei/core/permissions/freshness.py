"""Keeping directory entries current: dashboard, review, history, update links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from renkei.core.models import Municipality, Region, User
from renkei.core.permissions.roles import (
    _active,
    can_manage_municipality,
    is_municipality_staff,
    is_region_admin,
    managed_municipalities,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

# --- directory freshness ---
# Municipality staff look after the freshness of their municipality's entries, region administrators
# of every municipality of their region: dashboard, review of changes, history, update links.


def freshness_municipalities(user: AnyUser | None) -> QuerySet[Municipality]:
    """The municipalities whose freshness figures ``user`` sees."""
    return managed_municipalities(user)


def can_view_freshness_dashboard(user: AnyUser | None) -> bool:
    return is_region_admin(user) or is_municipality_staff(user)


def can_review_facility_change(user: AnyUser | None, change_request) -> bool:
    return can_manage_municipality(user, change_request.facility.municipality)


def can_view_facility_history(user: AnyUser | None, facility) -> bool:
    return can_manage_municipality(user, facility.municipality)


def can_restore_facility_version(user: AnyUser | None, facility) -> bool:
    return can_manage_municipality(user, facility.municipality)


def can_send_facility_update_link(user: AnyUser | None, facility) -> bool:
    """Also who manages a facility's contact e-mails."""
    return can_manage_municipality(user, facility.municipality)


def can_edit_freshness_policy(user: AnyUser | None, region: Region | None = None) -> bool:
    """The period and reminder times of a region are its administrators' choice."""
    return is_region_admin(user, region)


def can_update_own_facility(user: AnyUser | None, facility) -> bool:
    """Staff of the organisation a facility is linked to keep its entry current, as its update link does."""
    return (
        _active(user)
        and user.organization_id is not None
        and facility.organization_id == user.organization_id
    )
