"""The directory: professional-only fields, editing facilities, importing facility data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from renkei.core.models import User
from renkei.core.permissions.roles import (
    can_manage_municipality,
    home_region,
    is_municipality_staff,
    is_region_admin,
    managed_municipalities,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

# --- directory ---


def can_view_professional_fields(user: AnyUser | None, facility) -> bool:
    """Direct lines, 連携窓口 and acceptance details are for the people of the facility's own region
    (asked per facility: a national directory lists other regions' facilities too)."""
    own = home_region(user)
    return own is not None and own.pk == facility.municipality.region_id


def can_edit_facility(user: AnyUser | None, facility) -> bool:
    return can_manage_municipality(user, facility.municipality)


def can_create_facility(user: AnyUser | None) -> bool:
    return managed_municipalities(user).exists()


# --- directory import ---


def can_import_facilities(user: AnyUser | None) -> bool:
    """Region administrators and municipality staff load facility data (official open data, the
    Renkei template); each only for the municipalities they manage (:func:`managed_municipalities`)."""
    return is_region_admin(user) or is_municipality_staff(user)
