"""Who someone is in the region: the roles every other rule builds on."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from django.db.models import QuerySet

from renkei.core.models import Municipality, Region, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


def _active(user: AnyUser | None) -> TypeGuard[User]:
    """A logged-in account that is not deactivated; every rule that allows something starts here."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def home_municipality(user: AnyUser | None) -> Municipality | None:
    """The municipality of the user's organisation. A 消防・警察 account has none: it belongs to no
    region's care network, so every rule built on the home region denies it; it reaches residents
    only through its agency's grants (:mod:`renkei.core.permissions.emergency_services`)."""
    if not _active(user) or user.organization is None or user.role == User.Role.EMERGENCY_SERVICES:
        return None
    return user.organization.municipality


def home_region(user: AnyUser | None) -> Region | None:
    municipality = home_municipality(user)
    return municipality.region if municipality else None


def is_region_admin(user: AnyUser | None, region: Region | None = None) -> bool:
    """A 圏域管理者 of ``region`` (of any region when ``region`` is None)."""
    if not _active(user) or user.role != User.Role.REGION_ADMIN:
        return False
    own = home_region(user)
    return own is not None and (region is None or own.pk == region.pk)


def is_municipality_staff(user: AnyUser | None) -> bool:
    return bool(
        _active(user) and user.role == User.Role.MUNICIPALITY_STAFF and home_municipality(user) is not None
    )


def is_region_member(user: AnyUser | None, region: Region | None = None) -> bool:
    """Any logged-in person whose organisation lies in ``region`` (or in any region)."""
    own = home_region(user)
    return own is not None and (region is None or own.pk == region.pk)


def can_view_staff_area(user: AnyUser | None) -> bool:
    return is_region_member(user)


def can_manage_municipality(user: AnyUser | None, municipality: Municipality) -> bool:
    """Region administrators manage every municipality of their region; municipality staff their own."""
    if municipality.region_id is not None and is_region_admin(user, municipality.region):
        return True
    own = home_municipality(user)
    return is_municipality_staff(user) and own is not None and own.pk == municipality.pk


def can_add_municipality(user: AnyUser | None, region: Region) -> bool:
    return is_region_admin(user, region)


def managed_municipalities(user: AnyUser | None) -> QuerySet[Municipality]:
    """The municipalities whose records ``user`` may edit."""
    if is_region_admin(user):
        return Municipality.objects.filter(region=home_region(user))
    own = home_municipality(user)
    if is_municipality_staff(user) and own is not None:
        return Municipality.objects.filter(pk=own.pk)
    return Municipality.objects.none()
